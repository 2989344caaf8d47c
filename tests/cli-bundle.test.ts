import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import pkg from '../package.json';
import { generateKey } from '../main/store/key';
import { tempDirsPerTest } from './helpers/tmp';

const ROOT = join(__dirname, '..');
const BUNDLE = join(ROOT, 'out', 'cli', 'index.js');
const tempDir = tempDirsPerTest();

/**
 * Another Node on this machine whose ABI differs from the one the driver was built for (in CI: Debian's Node
 * 20 at /usr/bin/node beside the Node 24 that runs the tests), to load the real driver with the wrong ABI.
 */
const otherNode = ['/usr/bin/node', '/usr/local/bin/node'].find(
  (node) =>
    existsSync(node) &&
    spawnSync(node, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).stdout?.trim() !== process.versions.modules,
);

/** Runs the bundle under plain Node: no tsx loader, no NODE_OPTIONS that could bring one. */
function runBundle(args: string[], env: NodeJS.ProcessEnv = {}) {
  const { NODE_OPTIONS: _dropped, ...base } = process.env;
  return promisify(execFile)(process.execPath, [BUNDLE, ...args], { cwd: tempDir(), env: { ...base, ...env, ORDER_STAGER_LANG: 'en' } });
}

describe('the bundled command line (out/cli/index.js)', () => {
  beforeAll(async () => {
    // `npm test` builds it first; run alone, this test file builds it when a source changed.
    const { buildCli, isStale } = await import('../scripts/build/cli.mjs');
    if (isStale()) await buildCli();
  }, 120_000);

  it('needs nothing at run time but Node itself and the native SQLCipher driver', () => {
    // "node:" names are Node's own even where this Node predates them (undici's optional node:sqlite cache).
    const required = new Set([...readFileSync(BUNDLE, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1] ?? ''));
    const outside = [...required].filter((name) => !(name.startsWith('node:') || isBuiltin(name)));
    expect(outside).toEqual(['better-sqlite3-multiple-ciphers']);
  });

  it('prints its help and version', async () => {
    const help = await runBundle(['--help']);
    expect(help.stdout).toContain('Usage: order-stager');
    expect(help.stdout).toContain('store');
    expect((await runBundle(['--version'])).stdout.trim()).toBe(pkg.version);
  });

  it('speaks Japanese with --lang ja: help laid out by the bundled string-width, and messages', async () => {
    const help = await runBundle(['--lang', 'ja', 'batches', '--help']);
    expect(help.stdout).toMatch(/^使い方：order-stager batches \[options\]\n\n取り込んだバッチを件数とともに表示します\n/);
    const keyFile = join(tempDir(), 'store.key');
    writeFileSync(keyFile, `${generateKey()}\n`, { mode: 0o600 });
    const dataDir = join(tempDir(), 'data');
    const empty = await runBundle(['--lang', 'ja', '--data-dir', dataDir, '--key-file', keyFile, 'schedule', 'show']);
    expect(empty.stdout).toBe('スケジュールは設定されていません。\n');
  });

  it('opens a real encrypted store with a key file', async () => {
    const keyFile = join(tempDir(), 'store.key');
    writeFileSync(keyFile, `${generateKey()}\n`, { mode: 0o600 });
    const dataDir = join(tempDir(), 'data');
    const { stdout } = await runBundle(['--data-dir', dataDir, '--key-file', keyFile, 'store', 'info', '--json']);
    expect(JSON.parse(stdout)).toMatchObject({
      path: join(dataDir, 'order-stager.db'),
      cipher: 'sqlcipher',
      encrypted: true,
      key_source: 'key-file',
    });
  });

  it('fails with the stable code and exit status 1, no stack trace', async () => {
    const failed = await runBundle(['--data-dir', tempDir(), 'store', 'info'], { ORDER_STAGER_KEY: 'short' }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain('KEY_INVALID');
    expect((failed as { stderr: string }).stderr).not.toMatch(/\n\s+at /);
  });

  // Skipped where this machine has only one Node (or only Nodes of one ABI): nothing to load the driver with.
  it.skipIf(!otherNode)('run by a Node of another ABI, says the driver does not match, not that the key is wrong', async () => {
    const keyFile = join(tempDir(), 'store.key');
    writeFileSync(keyFile, `${generateKey()}\n`, { mode: 0o600 });
    const { NODE_OPTIONS: _dropped, ...base } = process.env;
    const failed = await promisify(execFile)(
      otherNode as string,
      [BUNDLE, '--data-dir', tempDir(), '--key-file', keyFile, 'store', 'info', '--json'],
      { env: { ...base, ORDER_STAGER_LANG: 'en' } },
    ).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1 });
    const { stdout, stderr } = failed as { stdout: string; stderr: string };
    expect(`${stdout}${stderr}`).toContain('NATIVE_MODULE_MISMATCH');
    // The driver's ABI (the Node running these tests built it) as Node's message names it.
    expect(`${stdout}${stderr}`).toContain(`built for ABI ${process.versions.modules}`);
    expect(`${stdout}${stderr}`).not.toContain('STORE_UNREADABLE');
  });
});
