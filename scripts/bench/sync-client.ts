/**
 * One desktop for bench:sync, in its own process: stages `orders` one-line orders in a fresh store, syncs
 * them to `url` and prints one JSON line (summary, start and finish in epoch ms, ETA predicted at the start).
 *
 *   tsx scripts/bench/sync-client.ts '{"url":"http://127.0.0.1:1234","orders":600,"rate":10,"prefix":"A"}'
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleOrderRows, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { importFile } from '../../main/import/stage';
import { openStore } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { BackendClient } from '../../main/sync/client';
import { SyncEngine, type SyncProgress } from '../../main/sync/engine';

export interface ClientResult {
  summary: Awaited<ReturnType<SyncEngine['run']>>;
  startedAt: number;
  finishedAt: number;
  /** The run's own time in ms (engine.run, from its call to its return): the summary's duration_s is rounded to 0.1 s. */
  durationMs: number;
  etaBefore: number | null;
  /** Notification calls sent in each second of the run (refused ones included): the desktop's share over time. */
  sentPerSecond: number[];
  /** When the first notification went, in ms from the start (an order had to be created and paid first). */
  firstNotificationMs: number | null;
  /** The median time from a notification to the one a whole window later (`rate` calls on): 1000 ms + the margin + lateness. */
  windowSpanMs: number | null;
}

async function main() {
  const options = JSON.parse(process.argv[2] ?? '{}') as { url: string; orders: number; rate: number; prefix: string };
  const store = openStore({ path: join(mkdtempSync(join(tmpdir(), 'bench-sync-')), 'store.db'), key: generateKey() });
  const { batchId } = importFile(store.db, {
    fileName: `${options.prefix}.xlsx`,
    bytes: workbookBytes(sampleOrderRows({ orders: options.orders, maxLines: 1, prefix: options.prefix }), 'xlsx'),
    actor: 'bench',
  });
  const client = new BackendClient({
    baseUrl: options.url,
    clientId: 'order-stager-demo',
    clientSecret: 'demo-secret',
    timeoutsMs: { orders: 30_000, payments: 30_000, notifications: 10_000 },
  });
  const engine = new SyncEngine(store.db, client, {
    services: {
      orders: { ratePerSecond: null, concurrency: 8, timeoutMs: 30_000 },
      payments: { ratePerSecond: null, concurrency: 32, timeoutMs: 30_000 },
      notifications: { ratePerSecond: options.rate, concurrency: 8, timeoutMs: 10_000 },
    },
    maxActive: 96,
  });
  let etaBefore: number | null = null;
  engine.once('progress', (p: SyncProgress) => {
    etaBefore = p.etaS;
  });
  // Every client of a shared case starts its sync at the same moment, once its store is staged.
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const startedAt = Date.now();
  const startedPerf = performance.now();
  const summary = await engine.run([batchId]);
  const durationMs = performance.now() - startedPerf;
  const sent = engine.sendTimes('notifications');
  const spans = sent
    .slice(options.rate)
    .map((at, i) => at - (sent[i] ?? at))
    .sort((x, y) => x - y);
  const sentPerSecond: number[] = [];
  for (const at of sent) {
    const second = Math.floor((at - startedPerf) / 1000);
    sentPerSecond[second] = (sentPerSecond[second] ?? 0) + 1;
  }
  const result: ClientResult = {
    summary,
    startedAt,
    finishedAt: Date.now(),
    durationMs,
    etaBefore,
    sentPerSecond: Array.from(sentPerSecond, (n) => n ?? 0),
    firstNotificationMs: sent[0] === undefined ? null : sent[0] - startedPerf,
    windowSpanMs: spans[Math.floor(spans.length / 2)] ?? null,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  store.close();
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
