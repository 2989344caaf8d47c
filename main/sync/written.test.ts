import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFetch } from './transport';
import { reportingWrite } from './written';

/** A server that answers 30 ms after the whole request is in. */
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => setTimeout(() => res.end('{}'), 30));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/notifications`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('reportingWrite (when undici really wrote a call)', () => {
  const fetch = nodeFetch();
  const post = () => fetch(url, { method: 'POST', body: '{"order_id":"x"}' }).then((r) => r.text());

  it('reports the write of each call to its own caller, between the call and its answer', async () => {
    const writes: Record<string, number[]> = { a: [], b: [] };
    const timed = async (name: 'a' | 'b') => {
      const started = performance.now();
      await reportingWrite((at) => writes[name]?.push(at), post);
      return { started, answered: performance.now() };
    };
    const [a, b] = await Promise.all([timed('a'), timed('b')]);
    expect(writes.a).toHaveLength(1);
    expect(writes.b).toHaveLength(1);
    expect(writes.a?.[0]).toBeGreaterThanOrEqual(a?.started ?? Number.NaN);
    // The server answers 30 ms after the request is in: the write came well before the answer.
    expect(writes.a?.[0]).toBeLessThan((a?.answered ?? 0) - 25);
    expect(writes.b?.[0]).toBeLessThan((b?.answered ?? 0) - 25);
  });

  it('a write made while the event loop is busy is reported when it really happens', async () => {
    const writes: number[] = [];
    const started = performance.now();
    const call = reportingWrite((at) => writes.push(at), post);
    // The app's other work holds the event loop for 80 ms right after the call was handed to fetch.
    const busyUntil = performance.now() + 80;
    while (performance.now() < busyUntil) {
      // busy
    }
    await call;
    expect(writes[0]).toBeGreaterThanOrEqual(started + 80);
  });

  it('calls made after it, outside it, report nothing to it', async () => {
    const writes: number[] = [];
    await reportingWrite((at) => writes.push(at), post);
    await post();
    expect(writes).toHaveLength(1);
  });
});
