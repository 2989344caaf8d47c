import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledLicences, licenceSummary, licencesText, packagesOfModules } from './licences';

const ROOT = join(__dirname, '..', '..');

describe('licences of bundled packages', () => {
  it('lists the runtime dependencies and theirs with the licence from each package.json, and no build tool', () => {
    const list = bundledLicences(ROOT);
    const byName = new Map(list.map((p) => [p.name, p]));
    expect(byName.get('zod')?.license).toBe('MIT');
    expect(byName.get('electron-log')?.license).toBe('MIT');
    expect(byName.get('better-sqlite3-multiple-ciphers')?.license).toBe('MIT');
    // A transitive dependency (commander has none; better-sqlite3-multiple-ciphers needs bindings).
    expect(byName.has('bindings')).toBe(true);
    for (const tool of ['vitest', 'typescript', 'electron', 'electron-builder', '@biomejs/biome'])
      expect(byName.has(tool), tool).toBe(false);
    for (const p of list) expect(p.license, p.name).not.toBe('UNKNOWN');
    expect(licencesText(list).split('\n')).toContain(`zod ${byName.get('zod')?.version}\tMIT`);
  });

  it('names the packages in a bundle from its module ids, scoped ones included', () => {
    expect(
      packagesOfModules([
        '/w/node_modules/react/index.js',
        '/w/node_modules/react-dom/cjs/react-dom.production.js',
        'C:\\w\\node_modules\\@tanstack\\react-virtual\\dist\\index.js',
        '/w/node_modules/a/node_modules/b/x.js',
        '/w/renderer/src/App.tsx',
        '\0vite/preload-helper',
      ]),
    ).toEqual(['@tanstack/react-virtual', 'b', 'react', 'react-dom']);
    expect(bundledLicences(ROOT, ['react']).map((p) => p.name)).toContain('react');
  });

  it('summarises licences by count', () => {
    expect(
      licenceSummary([
        { name: 'a', version: '1', license: 'MIT' },
        { name: 'b', version: '1', license: 'ISC' },
        { name: 'c', version: '1', license: 'MIT' },
      ]),
    ).toBe('MIT 2, ISC 1');
  });
});
