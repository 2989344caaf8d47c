import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../main/shared/i18n/en.json';

const ASSETS = join(__dirname, '..', 'out', 'renderer', 'assets');

/** Every text leaf of an i18n subtree. */
const texts = (node: unknown): string[] =>
  typeof node === 'string' ? [node] : Object.values(node as Record<string, unknown>).flatMap((child) => texts(child));

describe('the renderer bundle (npm test builds it first)', () => {
  it('carries the window texts but not the command line help', () => {
    const bundle = readdirSync(ASSETS)
      .filter((name) => name.endsWith('.js'))
      .map((name) => readFileSync(join(ASSETS, name), 'utf8'))
      .join('\n');
    // (esbuild writes Japanese as \u escapes; English texts are searched as they are.)
    for (const text of texts(en.nav).concat(texts(en.review).slice(0, 20)))
      expect(bundle, text).toContain(JSON.stringify(text).slice(1, -1));
    const { cli, ...window } = en;
    const windowTexts = texts(window);
    const cliOnly = texts(cli.help).filter((text) => text.length > 30 && !text.includes('"') && !windowTexts.some((w) => w.includes(text)));
    expect(cliOnly.length).toBeGreaterThan(50);
    expect(cliOnly.filter((text) => bundle.includes(text))).toEqual([]);
  });
});
