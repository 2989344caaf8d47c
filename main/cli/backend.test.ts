import { describe, expect, it } from 'vitest';
import { GOOD_TOKEN, json, startHostile } from '../../tests/helpers/hostile';
import { cli } from '../../tests/helpers/cli';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { generateKey } from '../store/key';

const tempDir = tempDirsPerTest();

const en = { LANG: 'en_US.UTF-8' };

describe('backend URLs on the command line', () => {
  it('backend set refuses what the transport policy refuses, with the code and a translated message', async () => {
    const dataDir = tempDir();
    const env = { ...en, ORDER_STAGER_KEY: generateKey(), ORDER_STAGER_CLIENT_SECRET: 'the-secret' };
    const set = (url: string, extra: NodeJS.ProcessEnv = {}) =>
      cli(['--data-dir', dataDir, 'backend', 'set', '--url', url, '--client-id', 'c'], { ...env, ...extra });
    const insecure = await set('http://192.0.2.2:8080');
    expect(insecure.code).not.toBe(0);
    expect(insecure.stderr).toMatch(/BACKEND_URL_INSECURE.*192\.0\.2\.2.*https:\/\//);
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://user:pw@orders.example.co.jp',
      'https://orders.example.co.jp/?api_key=k',
    ])
      expect((await set(url)).stderr).toMatch(/BACKEND_URL_INVALID/);
    const ja = await set('http://127.0.0.1.evil.example', { LANG: 'ja_JP.UTF-8' });
    expect(ja.stderr).toMatch(/BACKEND_URL_INSECURE.*暗号化されません/);
    // Nothing refused was stored; an https URL is, in its parsed form.
    const ok = await set('HTTPS://Orders.Example.co.jp', { LANG: 'en_US.UTF-8' });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/https:\/\/orders\.example\.co\.jp\//);
  });

  it('sync --backend refuses plain http off this machine and keeps the stored secret for the stored backend', async () => {
    const server = await startHostile((_req, res) => json(res, 200, GOOD_TOKEN));
    try {
      const dataDir = tempDir();
      const key = generateKey();
      await cli(['--data-dir', dataDir, 'backend', 'set', '--url', 'https://orders.example.co.jp', '--client-id', 'c'], {
        ...en,
        ORDER_STAGER_KEY: key,
        ORDER_STAGER_CLIENT_SECRET: 'stored-secret',
      });
      const insecure = await cli(['--data-dir', dataDir, 'sync', '--backend', 'http://backend.test:8080', '--json'], {
        ...en,
        ORDER_STAGER_KEY: key,
      });
      expect(insecure.code).not.toBe(0);
      expect(insecure.stderr).toMatch(/BACKEND_URL_INSECURE/);
      // The local server would answer, but the stored secret is not for it.
      const other = await cli(['--data-dir', dataDir, 'sync', '--backend', server.url, '--json'], { ...en, ORDER_STAGER_KEY: key });
      expect(other.code).not.toBe(0);
      expect(other.stderr).toMatch(/BACKEND_SECRET_REQUIRED.*127\.0\.0\.1/);
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
