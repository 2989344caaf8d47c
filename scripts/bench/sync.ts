/**
 * Sync efficiency (issue 5): 2,000 orders against the simulator with notifications limited to R/s and
 * realistic latencies (order 50-150 ms, payment 200-800 ms, notification 30-100 ms). The floor is N/R; the
 * goal is to finish within 5% of it with zero 429s. A sequential reference client (one order fully after
 * another, as the backend's own flow does) is measured on a sample and extrapolated; the speed-up is printed.
 *
 *   npm run bench:sync -- [--orders 2000] [--rate 33] [--sequential-sample 40]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sampleOrderRows, workbookBytes } from '../../main/import/sample';
import { importFile } from '../../main/import/stage';
import { openStore } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { BackendClient } from '../../main/sync/client';
import { SyncEngine, type SyncProgress } from '../../main/sync/engine';
import { simStats, startSimProcess } from './sim-process';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '33' },
    'sequential-sample': { type: 'string', default: '40' },
  },
});
const N = Number(values.orders);
const R = Number(values.rate);
const SAMPLE = Number(values['sequential-sample']);

const simConfig = (rate: number) => ({
  seed: 7,
  services: {
    orders: { faults: { latency: { kind: 'uniform', minMs: 50, maxMs: 150 } } },
    payments: { faults: { latency: { kind: 'uniform', minMs: 200, maxMs: 800 } } },
    notifications: { rateLimitPerSecond: rate, faults: { latency: { kind: 'uniform', minMs: 30, maxMs: 100 } } },
  },
});

function stage(orders: number, prefix: string) {
  const store = openStore({ path: join(mkdtempSync(join(tmpdir(), 'bench-sync-')), 'store.db'), key: generateKey() });
  const { batchId } = importFile(store.db, {
    fileName: `${prefix}.xlsx`,
    bytes: workbookBytes(sampleOrderRows({ orders, maxLines: 1, prefix }), 'xlsx'),
    actor: 'bench',
  });
  return { store, batchId };
}

/** The reference: one order fully after another (create, pay, notify), no pipelining. */
async function sequential(url: string, orders: number): Promise<number> {
  const token = (
    (await (
      await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=order-stager-demo&client_secret=demo-secret',
      })
    ).json()) as { access_token: string }
  ).access_token;
  const post = async (path: string, body: unknown) =>
    (await (
      await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      })
    ).json()) as { id: string };
  const started = performance.now();
  for (let i = 0; i < orders; i += 1) {
    const order = await post('/api/v1/orders', {
      customer_id: 'C1',
      customer_name: 'テスト',
      items: [{ sku: 'S', quantity: 1, unit_price: 1500 }],
      total_amount: 1500,
      currency: 'JPY',
      shipping_address: '東京',
      client_reference: `seq-${i}`,
    });
    await post('/api/v1/payments', { order_id: order.id, amount: 1500, currency: 'JPY', payment_method: 'credit_card', card_token: 'tok' });
    await post('/api/v1/notifications', { order_id: order.id, channel: 'email', recipient: 'a@example.jp', template: 'order_confirmed' });
  }
  return (performance.now() - started) / 1000;
}

async function main() {
  const sim = await startSimProcess(simConfig(R));
  try {
    const { store, batchId } = stage(N, 'EFF');
    const client = new BackendClient({
      baseUrl: sim.url,
      clientId: 'order-stager-demo',
      clientSecret: 'demo-secret',
      timeoutsMs: { orders: 30_000, payments: 30_000, notifications: 10_000 },
    });
    const engine = new SyncEngine(store.db, client, {
      services: {
        orders: { ratePerSecond: null, concurrency: 8, timeoutMs: 30_000 },
        payments: { ratePerSecond: null, concurrency: 32, timeoutMs: 30_000 },
        notifications: { ratePerSecond: R, concurrency: 8, timeoutMs: 10_000 },
      },
      maxActive: 96,
    });
    let etaBefore: number | null = null;
    engine.on('progress', (p: SyncProgress) => {
      etaBefore ??= p.etaS;
      if (process.stderr.isTTY)
        process.stderr.write(
          `\r  ${p.done}/${p.total} done, notifications ${p.services.notifications.rate_per_second.toFixed(1)}/s, ETA ${p.etaS?.toFixed(0)} s   `,
        );
    });
    const summary = await engine.run([batchId]);
    if (process.stderr.isTTY) process.stderr.write('\n');
    const stats = await simStats(sim.url);
    store.close();
    const floor = N / R;
    const overFloor = summary.duration_s / floor - 1;

    const seqSim = await startSimProcess(simConfig(R));
    const seqSeconds = await sequential(seqSim.url, SAMPLE);
    seqSim.stop();
    const seqExtrapolated = (seqSeconds / SAMPLE) * N;

    const met = overFloor <= 0.05 && stats.rate_limited.notifications === 0 && summary.orders.done === N;
    console.log(
      `Sync efficiency: ${N} orders, notifications limited to ${R}/s, latencies order 50-150 / payment 200-800 / notification 30-100 ms`,
    );
    console.log(`  done / failed / review    ${summary.orders.done} / ${summary.orders.failed} / ${summary.orders.needs_review}`);
    console.log(
      `  duration                  ${summary.duration_s.toFixed(1)} s   (ETA predicted before the run: ${etaBefore === null ? '?' : (etaBefore as number).toFixed(1)} s)`,
    );
    console.log(`  floor N/R                 ${floor.toFixed(1)} s   -> ${(overFloor * 100).toFixed(1)}% over the floor (goal <= 5%)`);
    console.log(
      `  429 responses             ${stats.rate_limited.notifications} (goal 0); peak notifications in any 1 s window: ${stats.max_rate_per_second.notifications}/${R}`,
    );
    console.log(`  requests                  ${JSON.stringify(summary.requests)}; retries ${summary.retries}`);
    console.log(`  duplicates at the backend ${JSON.stringify(stats.duplicates)}`);
    console.log(
      `  sequential reference      ${seqSeconds.toFixed(1)} s for ${SAMPLE} orders -> ${seqExtrapolated.toFixed(0)} s for ${N} (extrapolated)`,
    );
    console.log(`  speed-up                  ${(seqExtrapolated / summary.duration_s).toFixed(1)}x over sequential`);
    console.log(`  goal                      ${met ? 'MET' : 'NOT MET'}`);
    process.exitCode = met ? 0 : 1;
  } finally {
    sim.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
