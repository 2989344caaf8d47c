import { statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decryptStoreFiles, valuesFound } from '../../tests/helpers/sqlcipher-pages';
import { engineFor, fastSettings } from '../../tests/helpers/sync';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { editOrderField, setOrdersExcluded } from '../import/edit';
import { packFields, unpackFields } from '../shared/fields';
import { reimportIntoBatch } from '../import/reimport';
import { SAMPLE_HEADERS, sampleLine, sampleOrderRows, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { importFile } from '../import/stage';
import { AppError } from '../shared/errors';
import { startSimulator } from '../simulator/server';
import { enqueue, requeueFailed } from '../sync/state';
import { openStore, STORE_PAGE_SIZE, type Store } from '../store/database';
import { generateKey, type StoreKey } from '../store/key';
import { purgeExpired, setLegalHold } from './purge';

const tempDir = tempDirsPerTest();
let store: Store;
let key: StoreKey;
let path: string;
beforeEach(() => {
  key = generateKey();
  path = join(tempDir(), 'store.db');
  store = openStore({ path, key });
});
afterEach(() => store.close());

const DAY = 86_400_000;
const NOW = new Date();
const OLD = new Date(NOW.getTime() - 40 * DAY);
/** An unmapped column whose header and cells are free text of the client's sheet. */
const MEMO = 'メモ';
const headers = (memo = MEMO) => [...SAMPLE_HEADERS, memo];

/** Every personal value of one order, unique to it, so a find in a raw page names the order. */
function personal(tag: string) {
  return {
    得意先コード: `zq-cid-${tag}`,
    得意先名: `zq-name-${tag}`,
    メール: `zq-mail-${tag}@example-pii.jp`,
    決済トークン: `zq-tok-${tag}`,
    納品先住所: `zq-addr-${tag}`,
    備考: `zq-note-${tag}`,
    [MEMO]: `zq-free-${tag}`,
  };
}
const line = (ref: string, tag: string, overrides: Record<string, string | number | null> = {}) => {
  const values = { ...personal(tag), ...overrides };
  return [...sampleLine(ref, values), values[MEMO] ?? null];
};

function importAt(name: string, rows: (string | number | Date | null)[][], at: Date, memo?: string): number {
  return importFile(store.db, { fileName: name, bytes: workbookBytes([headers(memo), ...rows], 'xlsx'), actor: 'sato', now: at }).batchId;
}

function setSync(ref: string, state: string, extra: { backend?: string; payment?: string } = {}) {
  const { id } = store.db.prepare('SELECT id FROM orders WHERE order_ref = ?').get(ref) as { id: number };
  store.db
    .prepare(
      `INSERT INTO sync_state (order_id, state, idempotency_key, backend_order_id, payment_id, failed_step, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, state, `k-${ref}`, extra.backend ?? null, extra.payment ?? null, state === 'failed' ? 'payment' : null, OLD.toISOString());
}

const orderRow = (ref: string) => store.db.prepare('SELECT * FROM orders WHERE order_ref = ?').get(ref) as Record<string, unknown>;
const syncRow = (ref: string) =>
  store.db.prepare('SELECT s.* FROM sync_state s JOIN orders o ON o.id = s.order_id WHERE o.order_ref = ?').get(ref) as
    | Record<string, unknown>
    | undefined;

/** Tags of the old batch's orders, one per state an order can be in. */
const STATES = ['inv', 'bad', 'exc', 'new', 'que', 'mid', 'fai', 'rev', 'don', 'edt'] as const;

/** One old batch with an order in every state, an old batch on hold and a recent batch. */
function seed() {
  const old = importAt(
    'old.xlsx',
    [
      line('R-inv', 'inv', { 数量: -1 }),
      line('R-bad', 'bad', { メール: 'zq-bademail-bad' }),
      ...STATES.filter((t) => t !== 'inv' && t !== 'bad').map((t) => line(`R-${t}`, t)),
    ],
    OLD,
    'メモ zq-hdr-memo',
  );
  const held = importAt('held.xlsx', [line('H-1', 'hld')], OLD);
  const recent = importAt('recent.xlsx', [line('N-1', 'rec')], NOW);
  editOrderField(store.db, {
    batchId: old,
    orderRef: 'R-edt',
    field: 'email',
    value: 'zq-edited-edt@example-pii.jp',
    actor: 'sato',
    now: OLD,
  });
  setOrdersExcluded(store.db, { batchId: old, orderRefs: ['R-exc'], excluded: true, actor: 'sato', now: OLD });
  setSync('R-que', 'queued');
  setSync('R-mid', 'order_created', { backend: 'bo-mid' });
  setSync('R-fai', 'failed', { backend: 'bo-fai' });
  setSync('R-rev', 'needs_review');
  setSync('R-don', 'done', { backend: 'bo-don', payment: 'pay-don' });
  setSync('H-1', 'done', { backend: 'bo-hld', payment: 'pay-hld' });
  setLegalHold(store.db, held, true, 'sato');
  return { old, held, recent };
}

const valuesOf = (tag: string) => [...Object.values(personal(tag)), `zq-bademail-${tag}`, `zq-edited-${tag}@example-pii.jp`];
const PURGED = STATES.flatMap(valuesOf);

describe('retention purge', () => {
  it('removes the personal data of every old order whatever its state, from every page of the store and its WAL', () => {
    const { old, held } = seed();
    // Before: the values are there (the decryption below reads them), so finding none afterwards means something.
    expect(valuesFound(decryptStoreFiles(path, key, STORE_PAGE_SIZE), PURGED).length).toBeGreaterThan(0);

    const result = purgeExpired(store.db, { days: 30, actor: 'sato', now: NOW });
    expect(result).toEqual({ orders: STATES.length, batches: 1, held: 1, inSync: 0, customers: 0, walTruncated: true });

    expect(statSync(`${path}-wal`).size).toBe(0);
    const pages = decryptStoreFiles(path, key, STORE_PAGE_SIZE);
    expect(valuesFound(pages, PURGED)).toEqual([]);
    // The header of the unmapped column goes too; the batch on hold and the recent batch keep everything.
    expect(valuesFound(pages, ['zq-hdr-memo'])).toEqual([]);
    expect(valuesFound(pages, Object.values(personal('hld')))).toEqual(Object.values(personal('hld')));
    expect(valuesFound(pages, Object.values(personal('rec')))).toEqual(Object.values(personal('rec')));

    // Facts stay: order numbers, amounts, SKUs, quantities, outcomes and backend ids.
    expect(orderRow('R-don')).toMatchObject({ order_ref: 'R-don', total_amount: 3000, customer_name: null, email: null, card_token: null });
    expect(orderRow('R-inv')).toMatchObject({ validation_status: 'invalid', purged_at: expect.any(String) });
    expect(JSON.parse(orderRow('R-bad').errors as string)).toEqual([{ row: 3, field: 'email', code: 'INVALID_EMAIL', value: '' }]);
    expect(JSON.parse(orderRow('R-inv').errors as string)).toEqual([{ row: 2, field: 'quantity', code: 'INVALID_QUANTITY', value: '-1' }]);
    expect(orderRow('R-exc')).toMatchObject({ validation_status: 'excluded' });
    const lines = store.db
      .prepare(
        'SELECT l.sku, l.quantity, l.unit_price, l.raw_cells FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.batch_id = ?',
      )
      .all(old) as Record<string, unknown>[];
    expect(lines.every((l) => l.sku === 'SKU-1' && l.unit_price === 1500 && l.raw_cells === '{}')).toBe(true);
    const fields = store.db
      .prepare("SELECT l.fields FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.order_ref = 'R-don'")
      .get() as { fields: string };
    expect(unpackFields(fields.fields)).toEqual({ order_ref: 'R-don', sku: 'SKU-1', quantity: '2', unit_price: '1500' });
    expect(fields.fields).toBe(packFields({ order_ref: 'R-don', sku: 'SKU-1', quantity: '2', unit_price: '1500' }));
    expect(syncRow('R-don')).toMatchObject({ state: 'done', backend_order_id: 'bo-don', payment_id: 'pay-don' });
    expect(syncRow('R-fai')).toMatchObject({ state: 'failed', backend_order_id: 'bo-fai' });
    // Unfinished syncs cannot finish without the data: staff see them in needs review.
    expect(syncRow('R-mid')).toMatchObject({ state: 'needs_review', error_code: 'RETENTION_PURGED', backend_order_id: 'bo-mid' });
    expect(JSON.parse(syncRow('R-que')?.detail as string)).toEqual({ purged_from: 'queued' });
    expect((store.db.prepare('SELECT count(*) AS n FROM order_edits').get() as { n: number }).n).toBe(1);
    expect(store.db.prepare('SELECT legal_hold FROM batches WHERE id = ?').get(held)).toEqual({ legal_hold: 1 });

    const audit = store.db.prepare("SELECT details FROM audit_log WHERE action = 'retention.purged'").get() as { details: string };
    expect(JSON.parse(audit.details)).toMatchObject({ days: 30, orders: STATES.length, held: 1, in_sync: 0 });
  });

  it('empties the WAL in the desktop set-up too, with the checkpoint worker running', () => {
    store.close();
    store = openStore({ path, key, backgroundCheckpoints: true });
    seed();
    expect(purgeExpired(store.db, { days: 30, actor: 'sato', now: NOW })).toMatchObject({ orders: STATES.length, walTruncated: true });
    expect(statSync(`${path}-wal`).size).toBe(0);
    expect(valuesFound(decryptStoreFiles(path, key, STORE_PAGE_SIZE), PURGED)).toEqual([]);
  });

  it('never sends, retries, edits or re-imports a purged order', () => {
    const { old } = seed();
    purgeExpired(store.db, { days: 30, actor: 'sato', now: NOW });
    expect(enqueue(store.db, [old], NOW.toISOString())).toBe(0);
    expect(syncRow('R-new')).toBeUndefined();
    expect(requeueFailed(store.db, [old], NOW.toISOString())).toBe(0);
    expect(syncRow('R-fai')).toMatchObject({ state: 'failed' });
    const edit = () => editOrderField(store.db, { batchId: old, orderRef: 'R-new', field: 'email', value: 'a@b.jp', actor: 'sato' });
    expect(edit).toThrow(AppError);
    expect(edit).toThrow(/ORDER_NOT_EDITABLE/);
    const again = reimportIntoBatch(store.db, {
      batchId: old,
      fileName: 'fix.xlsx',
      bytes: workbookBytes([headers(), line('R-inv', 'again')], 'xlsx'),
      actor: 'sato',
    });
    expect(again).toMatchObject({ updated: 0, locked: ['R-inv'] });
    // None of the re-imported line's values (zq-cid-again, zq-mail-again@…); the random client_reference may hold "zq-".
    expect(JSON.stringify(orderRow('R-inv'))).not.toMatch(/zq-[a-z]+-again/);
  });

  it('leaves orders mid-way in a running sync alone and purges them once the run is over', () => {
    seed();
    store.db
      .prepare('INSERT INTO sync_lock (id, run_id, pid, host, heartbeat) VALUES (1, 1, ?, ?, ?)')
      .run(process.pid, hostname(), Date.now());
    const during = purgeExpired(store.db, { days: 30, actor: 'sato', now: NOW });
    // queued and order_created are mid-way; the run reads their data when it sends them.
    expect(during).toMatchObject({ orders: STATES.length - 2, inSync: 2 });
    expect(orderRow('R-mid')).toMatchObject({ email: 'zq-mail-mid@example-pii.jp', purged_at: null });
    expect(syncRow('R-mid')).toMatchObject({ state: 'order_created' });
    store.db.prepare('DELETE FROM sync_lock').run();
    const after = purgeExpired(store.db, { days: 30, actor: 'sato', now: NOW });
    expect(after).toMatchObject({ orders: 2, inSync: 0 });
    expect(orderRow('R-mid')).toMatchObject({ email: null });
    expect(valuesFound(decryptStoreFiles(path, key, STORE_PAGE_SIZE), PURGED)).toEqual([]);
  });

  it('treats a lock left by a process that is gone as no run', () => {
    seed();
    store.db.prepare('INSERT INTO sync_lock (id, run_id, pid, host, heartbeat) VALUES (1, 1, ?, ?, ?)').run(2 ** 22 + 12345, hostname(), 0);
    expect(purgeExpired(store.db, { days: 30, actor: 'sato', now: NOW })).toMatchObject({ orders: STATES.length, inSync: 0 });
  });

  it('zeroes what it removes: with secure_delete off, the same purge would leave values in the file', () => {
    const many = Array.from({ length: 300 }, (_, i) => line(`M-${i}`, `m${i}`, { 備考: `zq-note-m${i}-${'x'.repeat(300)}` }));
    const values = Array.from({ length: 300 }, (_, i) => [`zq-name-m${i}`, `zq-mail-m${i}@`, `zq-note-m${i}-`]).flat();
    const run = (secureDelete: boolean) => {
      importAt('many.xlsx', many, OLD);
      store.db.pragma('wal_checkpoint(TRUNCATE)');
      expect(store.db.pragma('secure_delete', { simple: true })).toBe(1);
      // The control: a purge through a connection that forgot the pragma (purgeExpired sets it itself).
      const purge = secureDelete ? purgeExpired : withoutSecureDelete;
      purge(store.db, { days: 30, actor: 'sato', now: NOW });
      return valuesFound(decryptStoreFiles(path, key, STORE_PAGE_SIZE), values).length;
    };
    expect(run(true)).toBe(0);
    store.close();
    path = join(tempDir(), 'control.db');
    store = openStore({ path, key });
    expect(run(false)).toBeGreaterThan(100);
  });
});

/** purgeExpired on a connection where secure_delete is off (it turns it on): only for the control above. */
function withoutSecureDelete(db: Store['db'], options: Parameters<typeof purgeExpired>[1]) {
  const pragma = db.pragma.bind(db);
  db.pragma = ((source: string, opts?: { simple?: boolean }) =>
    pragma(source === 'secure_delete=ON' ? 'secure_delete=OFF' : source, opts)) as typeof db.pragma;
  try {
    return purgeExpired(db, options);
  } finally {
    db.pragma = pragma;
  }
}

describe('retention purge while a sync runs', () => {
  it('leaves the orders the run still has to send, which reach the backend whole; the next purge takes them', async () => {
    const sim = await startSimulator({
      config: {
        services: {
          notifications: { rateLimitPerSecond: 50 },
          payments: { faults: { latency: { kind: 'uniform', minMs: 60, maxMs: 120 } } },
        },
      },
    });
    try {
      const rows = sampleOrderRows({ orders: 24, maxLines: 1, prefix: 'RS' });
      const { batchId } = importFile(store.db, { fileName: 'rs.xlsx', bytes: workbookBytes(rows, 'xlsx'), actor: 'sato', now: OLD });
      // Four orders at a time: the later ones read their data from the store after the purge.
      const settings = fastSettings({ maxActive: 4, payments: { ratePerSecond: null, concurrency: 2, timeoutMs: 1500 } });
      const { engine } = engineFor(store, sim, settings);
      const run = engine.run([batchId]);
      const doneCount = () => store.db.prepare("SELECT count(*) FROM sync_state WHERE state = 'done'").pluck().get() as number;
      await vi.waitFor(() => expect(doneCount()).toBeGreaterThanOrEqual(4), { timeout: 10_000, interval: 20 });
      const during = purgeExpired(store.db, { days: 30, actor: 'sato', now: NOW });
      expect(during.inSync).toBeGreaterThan(0);
      expect(during.orders + during.inSync).toBe(24);
      const summary = await run;
      // Nothing the run sent after the purge lacked its data: every order, payment and notification went through.
      expect(summary.orders).toMatchObject({ done: 24, failed: 0, needs_review: 0 });
      expect([...sim.state.orders.values()].every((o) => o.customer_name !== '' && o.shipping_address !== '')).toBe(true);
      expect(sim.state.notifications).toHaveLength(24);
      const after = purgeExpired(store.db, { days: 30, actor: 'sato', now: NOW });
      expect(after).toMatchObject({ orders: during.inSync, inSync: 0 });
      const emails = Array.from({ length: 24 }, (_, i) => `order${i + 1}@example.co.jp`);
      expect(valuesFound(decryptStoreFiles(path, key, STORE_PAGE_SIZE), emails)).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});
