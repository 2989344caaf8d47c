/**
 * Brings the staff guide up to date: the error code list in docs/guide/ja.md and en.md from the app's
 * messages, then the HTML pages the app's guide window shows (docs/guide/ja.html, en.html).
 *
 *   npm run guide:build            write them
 *   npm run guide:build -- --check exit 1 if any is out of date (tests/guide.test.ts checks the same)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withCodes } from './codes';
import { htmlPage } from './markdown';

export const GUIDE_DIR = join(resolve(__dirname, '..', '..'), 'docs', 'guide');
export const GUIDE_LANGS = ['ja', 'en'] as const;

/** Every guide file as it should be, by path. */
export function guideFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const lng of GUIDE_LANGS) {
    const markdown = withCodes(readFileSync(join(GUIDE_DIR, `${lng}.md`), 'utf8'), lng);
    files.set(join(GUIDE_DIR, `${lng}.md`), markdown);
    files.set(join(GUIDE_DIR, `${lng}.html`), htmlPage(markdown, lng));
  }
  return files;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [path, text] of guideFiles()) {
    if (read(path) === text) continue;
    stale.push(path);
    if (!check) writeFileSync(path, text);
  }
  if (check && stale.length) {
    process.stderr.write(`out of date (run npm run guide:build): ${stale.join(', ')}\n`);
    process.exitCode = 1;
  } else process.stdout.write(stale.length ? `wrote ${stale.join(', ')}\n` : 'the guide is up to date\n');
}
