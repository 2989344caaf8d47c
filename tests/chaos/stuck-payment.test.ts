import type { ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { storePath } from '../../main/config/paths';
import { type Simulator, startSimulator } from '../../main/simulator/server';
import { openStore } from '../../main/store/database';
import { localStates, mismatches, spawnSync, stagedStore, syncConfigFile, syncEnded } from '../helpers/sync';
import { tempDirsPerTest } from '../helpers/tmp';

const tempDir = tempDirsPerTest();
const KILLS = 10;
const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

type Phase = 'lose' | 'hold' | 'fail503' | 'pass';

/**
 * A proxy in front of the simulator that decides the fate of each POST /api/v1/payments: `lose` forwards it
 * (the backend commits) and drops the answer, `hold` forwards it after 1.5 s (the sync is killed meanwhile),
 * `fail503` answers 503 once, `pass` forwards.
 */
async function paymentProxy(sim: Simulator): Promise<{ url: string; phase: { value: Phase }; payments: EventEmitter; server: Server }> {
  const phase = { value: 'lose' as Phase };
  const payments = new EventEmitter();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const isPayment = req.method === 'POST' && req.url === '/api/v1/payments';
    const current = phase.value;
    if (isPayment) {
      payments.emit('payment', current);
      if (current === 'fail503') {
        phase.value = 'pass';
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"SERVICE_UNAVAILABLE"}}');
        return;
      }
      if (current === 'hold') await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)),
    ) as Record<string, string>;
    const answer = await fetch(`${sim.url}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    }).catch(() => null);
    if (isPayment && current === 'lose') {
      phase.value = 'hold';
      req.socket.destroy();
      return;
    }
    if (!answer) return void req.socket.destroy();
    const text = await answer.text();
    if (!res.destroyed) res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, phase, payments, server };
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

describe('a payment whose answer was lost, retried across crashes', () => {
  it(`ends paid once, notified and done after ${KILLS} SIGKILLs while the payment is retried and one 503`, {
    timeout: 180_000,
  }, async () => {
    const sim = await startSimulator({});
    closers.push(() => sim.close());
    const proxy = await paymentProxy(sim);
    closers.push(() => new Promise((resolve) => proxy.server.close(resolve)));
    const dataDir = tempDir();
    const { store, key } = stagedStore(dataDir, 1, 'SP');
    store.close();
    // Two attempts: under the old counting (every send, killed ones included) the 503 made the payment final.
    const configFile = syncConfigFile(tempDir(), {
      timeoutMs: 5000,
      concurrency: 2,
      notificationRate: 10,
      maxAttempts: 2,
      backoffBaseMs: 20,
      backoffCapMs: 100,
    });

    for (let kills = 0; kills < KILLS; kills += 1) {
      const child = spawnSync(dataDir, key, proxy.url, configFile);
      // The first run loses its first payment's answer and retries it; every run is killed while its retry is held.
      for (;;) {
        const [phase] = (await once(proxy.payments, 'payment')) as [Phase];
        if (phase === 'hold') break;
      }
      await kill(child);
    }
    expect(sim.stats().created.payments).toBe(1);

    proxy.phase.value = 'fail503';
    const final = spawnSync(dataDir, key, proxy.url, configFile);
    const { code, summary } = await syncEnded(final);
    expect(proxy.phase.value).toBe('pass');
    expect(summary?.orders).toEqual({ done: 1, failed: 0, needs_review: 0, remaining: 0 });
    expect(code).toBe(0);

    const reopened = openStore({ path: storePath(dataDir), key });
    try {
      expect(localStates(reopened).map((row) => row.state)).toEqual(['done']);
      expect(mismatches(reopened, sim)).toEqual([]);
    } finally {
      reopened.close();
    }
    expect(sim.stats()).toMatchObject({
      created: { orders: 1, payments: 1, notifications: 1 },
      duplicates: { orders_per_client_reference: 0, payments_per_order: 0, notifications_for_unpaid_orders: 0 },
    });
  });
});
