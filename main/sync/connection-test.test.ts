import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { handlerApp, scriptedDialogs } from '../../tests/helpers/handlers';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { type Simulator, startSimulator } from '../simulator/server';
import { BackendClient } from './client';
import { reachFailure, testConnection } from './connection-test';

const tempDir = tempDirsPerTest();
const { setup } = handlerApp(tempDir);
const TIMEOUTS = { orders: 5000, payments: 5000, notifications: 5000 };

let sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((sim) => sim.close()));
  sims = [];
});

async function simulator(): Promise<Simulator> {
  const sim = await startSimulator({});
  sims.push(sim);
  return sim;
}

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function client(baseUrl: string, clientSecret = 'demo-secret') {
  return new BackendClient({ baseUrl, clientId: 'order-stager-demo', clientSecret, timeoutsMs: TIMEOUTS });
}

describe('connection test', () => {
  it('succeeds against the simulator with a token and one look-up that creates nothing', async () => {
    const sim = await simulator();
    const result = await testConnection({ client: client(sim.url) }, sim.url);
    expect(result).toEqual({ ok: true, host: '127.0.0.1', latencyMs: expect.any(Number) });
    // The service log (the token call is not a service call): one look-up, nothing written.
    expect(sim.requests().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/orders']);
  });

  it('names the authentication step when the secret is wrong', async () => {
    const sim = await simulator();
    const result = await testConnection({ client: client(sim.url, 'wrong-secret') }, sim.url);
    expect(result).toMatchObject({ ok: false, step: 'auth', reason: 'credentials' });
  });

  it('names the connection step when the connection is refused, and sends nothing further', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await testConnection({ client: client(url) }, url);
    expect(result).toEqual({ ok: false, host: '127.0.0.1', step: 'connect', reason: 'refused' });
  });

  it('tells a name that does not resolve and a certificate error apart from a refused connection', () => {
    const wrapped = (cause: object) => Object.assign(new TypeError('fetch failed'), { cause });
    expect(reachFailure(wrapped({ code: 'ENOTFOUND' }))).toEqual({ step: 'dns', reason: 'not_found' });
    expect(reachFailure(new Error('net::ERR_NAME_NOT_RESOLVED'))).toEqual({ step: 'dns', reason: 'not_found' });
    expect(reachFailure(wrapped({ code: 'CERT_HAS_EXPIRED' }))).toEqual({ step: 'tls', reason: 'certificate' });
    expect(reachFailure(wrapped({ code: 'ECONNREFUSED' }))).toEqual({ step: 'connect', reason: 'refused' });
    expect(reachFailure(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))).toEqual({ step: 'connect', reason: 'timeout' });
  });

  it('runs from the settings channel against the configured backend, and in demo mode', async () => {
    const sim = await simulator();
    const { call, ctx } = setup(scriptedDialogs([], []));
    expect(await call('testConnection')).toMatchObject({ ok: true, host: '127.0.0.1' });
    await call('saveBackend', { mode: 'remote', url: sim.url, clientId: 'order-stager-demo', clientSecret: 'demo-secret' });
    expect(await call('testConnection')).toMatchObject({ ok: true, host: '127.0.0.1' });
    expect(sim.requests().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/orders']);
    // Nothing about the test goes into the audit log: it changes nothing.
    const actions = ctx.store.db.prepare('SELECT action FROM audit_log').pluck().all();
    expect(actions.filter((a) => a !== 'settings.changed')).toEqual([]);
  });
});
