import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleOrderRows, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { importFile } from '../../main/import/stage';
import type { Simulator } from '../../main/simulator/server';
import { openStore, type Store } from '../../main/store/database';
import { generateKey, type StoreKey } from '../../main/store/key';
import { storePath } from '../../main/config/paths';
import { BackendClient } from '../../main/sync/client';
import { type ServiceSettings, SyncEngine, type SyncProgress, type SyncSettings } from '../../main/sync/engine';

/** Fast settings for tests: short timeouts, backoff and cool-downs; `payments` / `notifications` replace those services' settings. */
export function fastSettings(
  overrides: Omit<Partial<SyncSettings>, 'services'> & { payments?: ServiceSettings; notifications?: ServiceSettings } = {},
): Partial<SyncSettings> {
  const { payments, notifications, ...rest } = overrides;
  return {
    services: {
      orders: { ratePerSecond: null, concurrency: 8, timeoutMs: 1500 },
      payments: payments ?? { ratePerSecond: null, concurrency: 16, timeoutMs: 1500 },
      // The simulator runs in the test process: same event loop, so allow 50 ms of jitter (see connectBackend).
      notifications: notifications ?? { ratePerSecond: 50, concurrency: 8, timeoutMs: 1500, jitterMs: 50 },
    },
    backoffBaseMs: 20,
    backoffCapMs: 400,
    breaker: { threshold: 5, baseCooldownMs: 100, maxCooldownMs: 1000 },
    ...rest,
  };
}

/** A store at the CLI's location in `dir` (so `--data-dir dir` opens it) with one imported batch. */
export function stagedStore(dir: string, orders: number, prefix = 'SY'): { store: Store; batchId: number; key: StoreKey } {
  const key = generateKey();
  const store = openStore({ path: storePath(dir), key });
  const { batchId } = importFile(store.db, {
    fileName: `${prefix}.xlsx`,
    bytes: workbookBytes(sampleOrderRows({ orders, maxLines: 2, prefix }), 'xlsx'),
    actor: 'tester',
  });
  return { store, batchId, key };
}

export function engineFor(
  store: Store,
  sim: Simulator,
  settings: Partial<SyncSettings> = fastSettings(),
  credentials = { id: 'order-stager-demo', secret: 'demo-secret' },
) {
  const s = settings.services;
  const client = new BackendClient({
    baseUrl: sim.url,
    clientId: credentials.id,
    clientSecret: credentials.secret,
    timeoutsMs: {
      orders: s?.orders.timeoutMs ?? 1500,
      payments: s?.payments.timeoutMs ?? 1500,
      notifications: s?.notifications.timeoutMs ?? 1500,
    },
  });
  return { engine: new SyncEngine(store.db, client, settings, 'tester'), client };
}

/** The first progress event that satisfies `test` (events, not wall-clock sleeps). */
export function progressWhere(engine: SyncEngine, test: (p: SyncProgress) => boolean): Promise<SyncProgress> {
  return new Promise((resolve) => {
    const listener = (p: SyncProgress) => {
      if (!test(p)) return;
      engine.off('progress', listener);
      resolve(p);
    };
    engine.on('progress', listener);
  });
}

interface LocalRow {
  order_ref: string;
  client_reference: string;
  state: string;
  backend_order_id: string | null;
  payment_id: string | null;
  transaction_id: string | null;
}

export function localStates(store: Store): LocalRow[] {
  return store.db
    .prepare(
      `SELECT o.order_ref, o.client_reference, s.state, s.backend_order_id, s.payment_id, s.transaction_id
       FROM sync_state s JOIN orders o ON o.id = s.order_id ORDER BY o.id`,
    )
    .all() as LocalRow[];
}

export interface SimRecords {
  orders: { id: string; status: string; client_reference: string }[];
  payments: { id: string; order_id: string; transaction_id: string }[];
}

export function recordsOf(sim: Simulator): SimRecords {
  return { orders: [...sim.state.orders.values()], payments: [...sim.state.paymentsById.values()] };
}

/**
 * Local state against the simulator's records: every done order exists there once, paid with the same
 * transaction; nothing there is unknown here.
 */
export function mismatches(store: Store, source: Simulator | SimRecords): string[] {
  const records = 'state' in source ? recordsOf(source) : source;
  const problems: string[] = [];
  const local = localStates(store);
  const byRef = new Map(local.map((row) => [row.client_reference, row]));
  const ordersByRef = new Map<string, SimRecords['orders']>();
  for (const order of records.orders) ordersByRef.set(order.client_reference, [...(ordersByRef.get(order.client_reference) ?? []), order]);
  const ordersById = new Map(records.orders.map((o) => [o.id, o]));
  const paymentsByOrder = new Map<string, SimRecords['payments']>();
  for (const payment of records.payments)
    paymentsByOrder.set(payment.order_id, [...(paymentsByOrder.get(payment.order_id) ?? []), payment]);
  for (const [reference, orders] of ordersByRef) {
    const row = byRef.get(reference);
    if (!row) problems.push(`backend has an order for unknown reference ${reference}`);
    if (orders.length > 1) problems.push(`${reference}: ${orders.length} orders at the backend`);
    const order = orders[0];
    if (row && order && row.state !== 'needs_review' && row.backend_order_id !== order.id)
      problems.push(`${row.order_ref}: backend id differs`);
  }
  for (const row of local) {
    if (row.state === 'done' || row.state === 'paid') {
      const order = row.backend_order_id ? ordersById.get(row.backend_order_id) : undefined;
      const payment = row.backend_order_id ? paymentsByOrder.get(row.backend_order_id) : undefined;
      if (!order) problems.push(`${row.order_ref}: no backend order`);
      else if (order.status !== 'CONFIRMED') problems.push(`${row.order_ref}: backend order ${order.status}`);
      if (payment?.length !== 1) problems.push(`${row.order_ref}: ${payment?.length ?? 0} payments`);
      else if (payment[0]?.transaction_id !== row.transaction_id) problems.push(`${row.order_ref}: transaction differs`);
    }
  }
  return problems;
}

/** A `sync --config` file in `dir`: every service with the given timeout and concurrency, plus the rest. */
export function syncConfigFile(
  dir: string,
  options: { timeoutMs: number; concurrency: number; notificationRate: number } & Omit<Partial<SyncSettings>, 'services'>,
): string {
  const { timeoutMs, concurrency, notificationRate, ...rest } = options;
  const file = join(dir, 'sync.json');
  const service = (ratePerSecond: number | null) => ({ ratePerSecond, concurrency, timeoutMs });
  writeFileSync(
    file,
    JSON.stringify({ services: { orders: service(null), payments: service(null), notifications: service(notificationRate) }, ...rest }),
  );
  return file;
}

/** `order-stager sync --json` in a child process (so a test can SIGKILL it), against `url`. */
export function spawnSync(dataDir: string, key: string, url: string, configFile: string): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', 'main/cli/index.ts', '--data-dir', dataDir, 'sync', '--backend', url, '--config', configFile, '--json'],
    {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, ORDER_STAGER_KEY: key, LANG: 'en_US.UTF-8' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

/** Waits for a spawned sync to end; its exit code and its --json summary (null when it printed none). */
export async function syncEnded(child: ChildProcess): Promise<{ code: number | null; summary: { orders: Record<string, number> } | null }> {
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  let summary = null;
  try {
    summary = JSON.parse(stdout);
  } catch {
    summary = null;
  }
  return { code, summary };
}
