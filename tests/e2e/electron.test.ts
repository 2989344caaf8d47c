import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { generateKey } from '../../main/store/key';
import { tempDirsPerTest } from '../helpers/tmp';

const ROOT = resolve(__dirname, '..', '..');
const tempDir = tempDirsPerTest();

/**
 * The Electron binary is downloaded on first run by the electron package; offline (as on CI) it cannot
 * be. Look for it without triggering that download.
 */
function findElectronBinary(): { path: string } | { reason: string } {
  const pkgDir = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile))
    return { reason: 'node_modules/electron/path.txt is missing: the Electron binary was never downloaded (no internet)' };
  const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { reason: `${binary} is missing: the Electron binary was never downloaded (no internet)` };
}

const found = findElectronBinary();
const skipReason = 'reason' in found ? found.reason : undefined;
if (skipReason) console.warn(`[electron e2e] SKIPPED: ${skipReason}. The renderer is still tested in Chromium (renderer.test.ts).`);

describe('desktop app in Electron', () => {
  it.skipIf(skipReason !== undefined)(
    skipReason ? `SKIPPED (no Electron binary: ${skipReason})` : 'starts, shows the shell and keeps the renderer locked down',
    async () => {
      if (!('path' in found)) return;
      const home = tempDir();
      const app = await electron.launch({
        executablePath: found.path,
        args: [join(ROOT, 'out', 'main', 'index.js')],
        env: {
          ...process.env,
          ORDER_STAGER_KEY: generateKey(),
          HOME: home,
          XDG_DATA_HOME: join(home, 'data'),
          XDG_CONFIG_HOME: join(home, 'config'),
        },
      });
      try {
        const page = await app.firstWindow();
        await page.waitForSelector('#root[data-app-state="ready"]');
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('バッチ一覧');
        expect(page.url()).toBe('app://order-stager/index.html');
        expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
        expect(await page.evaluate(() => typeof (window as unknown as { process?: unknown }).process)).toBe('undefined');
        // contextIsolation: the page sees the frozen contract API only, never ipcRenderer.
        expect(await page.evaluate(() => Object.isFrozen((window as unknown as { api: object }).api) && !('ipcRenderer' in window))).toBe(
          true,
        );
        // No channel takes a path from the page: a File made in script has no path and is never sent to main.
        expect(
          await page.evaluate(async () => {
            const api = (window as unknown as { api: Record<string, unknown> & { registerDroppedFile(f: File): Promise<unknown> } }).api;
            return { named: 'addDroppedFile' in api, made: await api.registerDroppedFile(new File(['x'], '/etc/passwd.csv')) };
          }),
        ).toEqual({ named: false, made: null });
      } finally {
        await app.close();
      }
    },
  );
});

describe('the packaged binary as a command line (--cli)', () => {
  it.skipIf(skipReason !== undefined)(
    skipReason
      ? `SKIPPED (no Electron binary: ${skipReason}); the routing, exit codes and "no window" are unit-tested in main/app/faces.test.ts`
      : "prints the help and a store's batches as JSON with no window, and returns the command line's exit codes",
    () => {
      if (!('path' in found)) return;
      const home = tempDir();
      const env = {
        ...process.env,
        ORDER_STAGER_KEY: generateKey(),
        HOME: home,
        XDG_DATA_HOME: join(home, 'data'),
        XDG_CONFIG_HOME: join(home, 'config'),
        LANG: 'en_US.UTF-8',
      };
      const main = join(ROOT, 'out', 'main', 'index.js');
      const run = (...args: string[]) => spawnSync(found.path, [main, ...args], { env, encoding: 'utf8', timeout: 60_000 });
      const help = run('--cli', '--help');
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/Usage: order-stager/);
      const batches = run('--no-sandbox', '--cli', '--data-dir', join(home, 'store'), 'batches', '--json');
      expect(batches.status).toBe(0);
      expect(JSON.parse(batches.stdout)).toEqual([]);
      expect(run('--cli', 'no-such-command').status).toBe(2);
      expect(run('--cli', '--data-dir', join(home, 'store'), 'orders', '999', '--json').status).toBe(1);
    },
  );
});
