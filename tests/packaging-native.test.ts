import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DRIVER, DRIVER_BINARY, rebuildStaged, stageDriver } from '../scripts/package/electron-native.mjs';
import { tempDirsPerTest } from './helpers/tmp';

const ROOT = join(__dirname, '..');
const CHECKOUT_BINARY = join(ROOT, 'node_modules', DRIVER, DRIVER_BINARY);
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const tempDir = tempDirsPerTest();

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Loads the checkout's driver under this Node and opens a database, as `npm run cli` does. */
function driverLoadsUnderNode(): { status: number | null; stderr: string } {
  const code = `const D = require(${JSON.stringify(DRIVER)}); new D(':memory:').close();`;
  return spawnSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8' });
}

/**
 * The package's driver is rebuilt for Electron in a staging copy (afterPack hook), never in the checkout.
 * Packaging itself cannot run here (no Electron binary), so the hook's stages run as far as they can: the
 * staging copy, then @electron/rebuild on it, which here stops when node-gyp cannot download Electron's
 * headers (with network access it builds the staged copy). Either way the checkout's driver must be untouched.
 */
describe('packaging rebuilds the SQLCipher driver for Electron outside the checkout', () => {
  it('turns off electron-builder npmRebuild (it rebuilds the checkout in place) and runs the staging hook instead', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.afterPack).toBe('./scripts/package/electron-native.mjs');
    expect(existsSync(join(ROOT, config.afterPack as string))).toBe(true);
  });

  it('leaves the checkout driver loadable under Node after the staging copy and its Electron rebuild', async () => {
    const before = sha256(CHECKOUT_BINARY);
    const stage = tempDir();
    const staged = stageDriver(ROOT, stage);
    expect(relative(ROOT, staged).startsWith('..')).toBe(true);
    // Staged without the Node build, with the sources a build needs.
    expect(existsSync(join(staged, DRIVER_BINARY))).toBe(false);
    expect(existsSync(join(staged, 'binding.gyp'))).toBe(true);
    expect(JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8')).dependencies).toHaveProperty(DRIVER);

    const electronVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version as string;
    const rebuilt = await rebuildStaged(stage, electronVersion, process.arch).then(
      () => true,
      () => false,
    );
    if (rebuilt) expect(sha256(join(staged, DRIVER_BINARY))).not.toBe(before);

    expect(sha256(CHECKOUT_BINARY)).toBe(before);
    const loaded = driverLoadsUnderNode();
    expect(loaded.stderr).toBe('');
    expect(loaded.status).toBe(0);
  }, 240_000);
});
