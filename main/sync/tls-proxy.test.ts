import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  GOOD_TOKEN,
  json,
  startConnectProxy,
  startHostileTls,
  startTlsFront,
  TEST_CERT_FILE,
  TEST_HOST,
  testLookup,
} from '../../tests/helpers/hostile';
import { fastSettings, localStates, stagedStore } from '../../tests/helpers/sync';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { startSimulator } from '../simulator/server';
import { BackendClient } from './client';
import { SyncEngine } from './engine';
import { nodeFetch } from './transport';

const tempDir = tempDirsPerTest();
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});
const ROOT = join(__dirname, '..', '..');
const TIMEOUTS = { orders: 1500, payments: 1500, notifications: 1500 };

async function started<T extends { close(): Promise<void> }>(server: Promise<T>): Promise<T> {
  const running = await server;
  cleanup.push(() => running.close());
  return running;
}

/** Runs `fn` with these variables set (undici reads HTTPS_PROXY when built, NO_PROXY on each request), then restores them. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('certificates', () => {
  it('a certificate the system does not trust is BACKEND_TLS_ERROR naming the host, and ends the run at once', async () => {
    const server = await started(startHostileTls((_req, res) => json(res, 200, GOOD_TOKEN)));
    const { store, batchId } = stagedStore(tempDir(), 3);
    cleanup.push(() => store.close());
    const client = new BackendClient({
      baseUrl: `https://${TEST_HOST}:${server.port}`,
      clientId: 'c',
      clientSecret: 'the-secret',
      timeoutsMs: TIMEOUTS,
      fetch: nodeFetch({ lookup: testLookup }),
    });
    const began = performance.now();
    await expect(new SyncEngine(store.db, client, fastSettings(), 'tester').run([batchId])).rejects.toMatchObject({
      code: 'BACKEND_TLS_ERROR',
      params: { host: TEST_HOST },
    });
    expect(performance.now() - began).toBeLessThan(5000);
    // The handshake failed: no request (and no secret) was ever sent, and no order is marked as sent.
    expect(server.requests).toEqual([]);
    expect(localStates(store).map((r) => r.state)).toEqual(['queued', 'queued', 'queued']);
  });

  it('refuses NODE_TLS_REJECT_UNAUTHORIZED=0 unless the backend is on this machine', () => {
    const options = { clientId: 'c', clientSecret: 's', timeoutsMs: TIMEOUTS, env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' } };
    expect(() => new BackendClient({ ...options, baseUrl: `https://${TEST_HOST}` })).toThrow(
      expect.objectContaining({ code: 'BACKEND_TLS_CHECKS_DISABLED', params: { host: TEST_HOST } }),
    );
    expect(() => new BackendClient({ ...options, baseUrl: 'https://127.0.0.1:8443' })).not.toThrow();
    expect(() => new BackendClient({ ...options, baseUrl: `https://${TEST_HOST}`, env: {} })).not.toThrow();
  });
});

describe('proxies', () => {
  it('goes through HTTPS_PROXY with CONNECT, and straight to hosts in NO_PROXY', async () => {
    const server = await started(startHostileTls((_req, res) => json(res, 200, GOOD_TOKEN)));
    const proxy = await started(startConnectProxy());
    const lookUp = (noProxy: string) =>
      withEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: noProxy }, () =>
        new BackendClient({
          baseUrl: `https://${TEST_HOST}:${server.port}`,
          clientId: 'c',
          clientSecret: 's',
          timeoutsMs: TIMEOUTS,
          fetch: nodeFetch({ lookup: testLookup }),
        }).findOrders('R'),
      );
    // The certificate is not trusted here (see the CLI test for a trusted one): what matters is the route taken.
    await expect(lookUp('')).rejects.toMatchObject({ code: 'BACKEND_TLS_ERROR', params: { host: TEST_HOST } });
    expect(proxy.connects).toEqual([`${TEST_HOST}:${server.port}`]);
    await expect(lookUp(TEST_HOST)).rejects.toMatchObject({ code: 'BACKEND_TLS_ERROR' });
    expect(proxy.connects).toHaveLength(1);
    expect(proxy.requests).toEqual([]);
  });

  it('the CLI syncs through a CONNECT proxy to an https backend trusted through NODE_EXTRA_CA_CERTS', { timeout: 90_000 }, async () => {
    const sim = await started(
      startSimulator({
        config: { clientId: 'acme', clientSecret: 'piped-secret', services: { notifications: { rateLimitPerSecond: 50 } } },
      }),
    );
    const front = await started(startTlsFront(sim.port));
    const proxy = await started(startConnectProxy());
    const dir = tempDir();
    const { store, key } = stagedStore(dir, 3);
    store.close();
    const sync = (extra: Record<string, string>) => {
      const running = promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          'main/cli/index.ts',
          '--data-dir',
          dir,
          'sync',
          '--backend',
          front.url,
          '--client-id',
          'acme',
          '--client-secret-stdin',
          '--json',
        ],
        {
          cwd: ROOT,
          timeout: 60_000,
          env: {
            PATH: process.env.PATH,
            HOME: dir,
            ORDER_STAGER_KEY: key,
            LANG: 'en_US.UTF-8',
            HTTPS_PROXY: proxy.url,
            ...extra,
          },
        },
      );
      running.child.stdin?.end('piped-secret\n');
      return running.then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    };
    // Without the CA file the certificate is refused, with the host named, and the run ends.
    const refused = await sync({});
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(new RegExp(`BACKEND_TLS_ERROR.*${TEST_HOST}`, 's'));
    expect(sim.stats().created.orders).toBe(0);
    // Nothing was sent on the refused run, so no order waits to be looked up: the next run goes at once.
    const began = performance.now();
    const ok = await sync({ NODE_EXTRA_CA_CERTS: TEST_CERT_FILE });
    expect(performance.now() - began).toBeLessThan(20_000);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).orders).toMatchObject({ done: 3, failed: 0, needs_review: 0 });
    expect(sim.stats().created).toMatchObject({ orders: 3, payments: 3, notifications: 3 });
    expect(new Set(proxy.connects)).toEqual(new Set([`${TEST_HOST}:${front.port}`]));
  });
});
