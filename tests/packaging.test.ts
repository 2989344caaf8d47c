import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..');
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

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

  it('keeps the native SQLCipher module out of the asar archive and rebuilds it for Electron', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining([expect.stringMatching(/^node_modules\/better-sqlite3-multiple-ciphers\//)]));
    expect(config.npmRebuild).toBe(true);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.dependencies['better-sqlite3-multiple-ciphers']).toBeDefined();
    expect(pkg.devDependencies.electron).toBeDefined();
    expect(pkg.dependencies.electron).toBeUndefined();
  });

  it('builds for Windows (NSIS), macOS (dmg) and Linux (AppImage and deb) with an app id', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/);
    expect((config.win as { target: string }).target).toBe('nsis');
    expect((config.mac as { target: string }).target).toBe('dmg');
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
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

  it('ships the tray icon the app loads from its resources folder', () => {
    const extra = config.extraResources as { from: string; to: string }[];
    expect(extra).toContainEqual({ from: 'resources/icon.png', to: 'icon.png' });
    expect(existsSync(join(ROOT, 'resources/icon.png'))).toBe(true);
    expect(readFileSync(join(ROOT, 'main/electron/desktop.ts'), 'utf8')).toContain("join(process.resourcesPath, 'icon.png')");
  });

  it('associates order sheets so "Open with Order Stager" works', () => {
    const extensions = (config.fileAssociations as { ext: string }[]).map((a) => a.ext);
    expect(extensions).toEqual(expect.arrayContaining(['xlsx', 'csv']));
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
