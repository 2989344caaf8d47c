import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv } from 'ajv';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { IMPORTABLE_EXTENSIONS } from '../main/app/import-files';
import { TRAY_ICON, trayIconPath } from '../main/electron/resources';

const ROOT = join(__dirname, '..');
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Whether electron-builder's `files` globs (later ones win, "!" excludes, as electron-builder reads them) take a path. */
function packaged(path: string): boolean {
  let taken = false;
  for (const pattern of config.files as string[]) {
    const exclude = pattern.startsWith('!');
    if (minimatch(path, exclude ? pattern.slice(1) : pattern, { dot: true })) taken = !exclude;
  }
  return taken;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/**
 * Packaging cannot run here (electron-builder needs the Electron binary, which cannot be downloaded), so
 * the configuration is checked instead: against electron-builder's own JSON schema, and for what a broken
 * package would otherwise show only on a staff laptop.
 */
describe('electron-builder configuration', () => {
  it('is valid against the schema electron-builder ships', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it('keeps every native binary of the SQLCipher module out of the asar archive (rebuilt for Electron: packaging-native.test.ts)', () => {
    const binaries = filesUnder(join(ROOT, 'node_modules/better-sqlite3-multiple-ciphers')).filter((file) => file.endsWith('.node'));
    expect(binaries).toContain('node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node');
    for (const binary of binaries)
      expect(
        (config.asarUnpack as string[]).some((glob) => minimatch(binary, glob)),
        `${binary} unpacked`,
      ).toBe(true);
    expect(config.asar).toBe(true);
    // Rebuilt for Electron only if it is a runtime dependency, and Electron itself must not be shipped inside.
    expect(pkg.dependencies['better-sqlite3-multiple-ciphers']).toBeDefined();
    expect(pkg.devDependencies.electron).toBeDefined();
    expect(pkg.dependencies.electron).toBeUndefined();
  });

  it('ships as runtime dependencies exactly the packages main imports (renderer-only ones are bundled: devDependencies)', () => {
    const imported = new Set<string>();
    for (const file of filesUnder(join(ROOT, 'main')).filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))) {
      for (const [, name] of readFileSync(join(ROOT, file), 'utf8').matchAll(/^(?:import|export)(?! type)[^'"]*?from '([^'.][^']*)'/gm)) {
        const pkgName = name?.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name?.split('/')[0];
        if (pkgName && !pkgName.startsWith('node:') && pkgName !== 'electron') imported.add(pkgName);
      }
    }
    expect(Object.keys(pkg.dependencies).sort()).toEqual([...imported].sort());
  });

  it('packs the built app (main entry, preload, renderer) and none of its sources or source maps', () => {
    expect(packaged(pkg.main)).toBe(true);
    expect(packaged('package.json')).toBe(true);
    expect(packaged('out/preload/index.js')).toBe(true);
    expect(packaged('out/renderer/index.html')).toBe(true);
    for (const source of ['main/store/database.ts', 'renderer/src/App.tsx', 'out/main/index.js.map', 'tests/e2e/flow.test.ts', 'store.key'])
      expect(packaged(source), source).toBe(false);
  });

  it('has a target for each build:<platform> script', () => {
    const platforms = Object.keys(pkg.scripts).flatMap((name) => /^build:(win|mac|linux)$/.exec(name)?.[1] ?? []);
    expect(platforms.sort()).toEqual(['linux', 'mac', 'win']);
    for (const platform of platforms) expect((config[platform] as { target?: unknown })?.target, platform).toBeTruthy();
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/);
  });

  it('refers only to resources that exist', () => {
    const buildResources = (config.directories as { buildResources: string }).buildResources;
    expect(existsSync(join(ROOT, buildResources))).toBe(true);
    const icon = config.icon as string;
    expect(existsSync(join(ROOT, icon))).toBe(true);
    const png = readFileSync(join(ROOT, icon));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // electron-builder needs at least 512 x 512 to make every platform's icon from one PNG.
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(512);
  });

  it('ships the tray icon where the packaged app looks for it, and the checkout has it where a dev run looks', () => {
    const resources = '/opt/Order Stager/resources';
    const wanted = relative(resources, trayIconPath(true, resources, ROOT));
    const shipped = (config.extraResources as { from: string; to: string }[]).find((entry) => entry.to === wanted);
    expect(shipped, `extraResources puts something at ${wanted}`).toBeDefined();
    expect(existsSync(join(ROOT, shipped?.from ?? 'missing'))).toBe(true);
    expect(existsSync(trayIconPath(false, resources, ROOT))).toBe(true);
    expect(wanted).toBe(TRAY_ICON);
  });

  it('associates only files the import accepts, workbooks and CSV among them, so "Open with Order Stager" works', () => {
    const extensions = (config.fileAssociations as { ext: string }[]).map((a) => `.${a.ext}`);
    for (const extension of extensions) expect(IMPORTABLE_EXTENSIONS as readonly string[], extension).toContain(extension);
    expect(extensions).toEqual(expect.arrayContaining(['.xlsx', '.csv']));
  });

  it('sets the security fuses: no RunAsNode, no NODE_OPTIONS, no inspector, asar integrity', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});
