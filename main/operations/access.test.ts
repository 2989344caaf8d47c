import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../tests/helpers/cli';
import { handlerApp, scriptedDialogs } from '../../tests/helpers/handlers';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { SAMPLE_HEADERS, type SampleRow, sampleLine, textBytes } from '../../scripts/fixtures/sample-sheets';
import { storePath } from '../config/paths';
import type { LineQuery } from '../shared/contract';
import type { Db } from '../store/database';
import { openStore } from '../store/database';
import { generateKey } from '../store/key';
import { CUSTOMER_HEADERS } from '../../scripts/fixtures/sample-masters';
import { importMaster, showMaster } from './masters';

const tempDir = tempDirsPerTest();
const { setup, importedBatch } = handlerApp(tempDir);

/** Names, emails and the search text of the fixture: none may reach the log. */
const VALUES = ['山田商店', '鈴木工業', 'yamada@example.jp', 'suzuki@example.jp', '山田'];

const LINES = [
  sampleLine('A-1', { 得意先名: '山田商店', メール: 'yamada@example.jp' }),
  sampleLine('A-2', { 得意先名: '鈴木工業', メール: 'suzuki@example.jp' }),
  sampleLine('A-2', { 得意先名: '鈴木工業', メール: 'suzuki@example.jp', 品番: 'SKU-2' }),
  sampleLine('A-3', { 得意先名: '山田商店', メール: 'yamada@example.jp', 数量: 0 }),
];

interface Access {
  actor: string;
  batch_id: number;
  order_ref: string | null;
  details: Record<string, unknown>;
}

function accessEntries(db: Db): Access[] {
  const rows = db.prepare("SELECT actor, batch_id, order_ref, details FROM audit_log WHERE action = 'access' ORDER BY seq").all() as {
    actor: string;
    batch_id: number;
    order_ref: string | null;
    details: string;
  }[];
  return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));
}

function logText(db: Db): string {
  return JSON.stringify(db.prepare('SELECT * FROM audit_log').all());
}

const csvOf = (lines: SampleRow[]) => textBytes([SAMPLE_HEADERS, ...lines], 'utf-8');

const page = (batchId: number, patch: Partial<LineQuery> = {}): LineQuery => ({
  batchId,
  sort: { column: 'row', direction: 'asc' },
  offset: 0,
  limit: 2,
  ...patch,
});

describe('access entries', () => {
  it('records one grid entry per batch and screen visit, however far it scrolls', async () => {
    const { call, store, batchId } = await importedBatch(LINES);
    await call('queryLines', page(batchId, { visit: 'v1' }));
    await call('queryLines', page(batchId, { visit: 'v1', offset: 2, withTotal: false }));
    await call('queryLines', page(batchId, { visit: 'v1', offset: 0 }));
    expect(accessEntries(store.db)).toEqual([{ actor: 'sato', batch_id: batchId, order_ref: null, details: { what: 'grid', orders: 3 } }]);
    // Another visit (the screen opened again), under a filter: a second entry, counting what that filter shows.
    await call('queryLines', page(batchId, { visit: 'v2', status: 'invalid' }));
    expect(accessEntries(store.db).map((e) => e.details)).toEqual([
      { what: 'grid', orders: 3 },
      { what: 'grid', orders: 1 },
    ]);
    // A caller naming no visit: each page it asks for is a visit of its own.
    await call('queryLines', page(batchId));
    await call('queryLines', page(batchId, { offset: 2, withTotal: false }));
    expect(accessEntries(store.db)).toHaveLength(4);
  });

  it('records nothing for a page that shows no order, and the first page of the visit that does show one', async () => {
    const { call, store, batchId } = await importedBatch(LINES);
    // The sync screen's problem list before anything failed: an empty page, nothing personal shown.
    await call('queryLines', page(batchId, { visit: 'v1', status: 'failed' }));
    expect(accessEntries(store.db)).toEqual([]);
    // Later in the same visit the list shows orders: that is the visit's entry.
    await call('queryLines', page(batchId, { visit: 'v1', status: 'invalid' }));
    expect(accessEntries(store.db).map((e) => e.details)).toEqual([{ what: 'grid', orders: 1 }]);
  });

  it('records a caller naming no visit however it pages: a renderer cannot read a batch unrecorded', async () => {
    const { call, store, batchId } = await importedBatch(LINES);
    // Every line read without a count and past the first page, as a compromised renderer would ask.
    const first = await call('queryLines', page(batchId, { withTotal: false }));
    const rest = await call('queryLines', page(batchId, { offset: 2, withTotal: false }));
    const search = await call('queryLines', page(batchId, { offset: 1, withTotal: false, search: '山田' }));
    expect([...first.rows, ...rest.rows]).toHaveLength(4);
    expect(search.rows).toHaveLength(1);
    expect(accessEntries(store.db).map((e) => e.details)).toEqual([
      { what: 'grid', orders: 3 },
      { what: 'grid', orders: 3 },
      { what: 'grid', orders: 3 },
      { what: 'search', orders: 2 },
    ]);
    for (const value of VALUES) expect(logText(store.db)).not.toContain(value);
  });

  it('records one search entry per search text, with the orders found and never the text', async () => {
    const { call, store, batchId } = await importedBatch(LINES);
    await call('queryLines', page(batchId, { visit: 'v1' }));
    await call('queryLines', page(batchId, { visit: 'v1', search: '山田' }));
    await call('queryLines', page(batchId, { visit: 'v1', search: '山田', offset: 2, withTotal: false }));
    await call('queryLines', page(batchId, { visit: 'v1', search: '  山田 ' }));
    await call('queryLines', page(batchId, { visit: 'v1', search: 'A-2' }));
    expect(accessEntries(store.db).map((e) => e.details)).toEqual([
      { what: 'grid', orders: 3 },
      { what: 'search', orders: 2 },
      { what: 'search', orders: 1 },
    ]);
    for (const value of VALUES) expect(logText(store.db)).not.toContain(value);
  });

  it('records the values find & replace reads (matchField) once per query, with the orders and lines, never the find text', async () => {
    const { call, store, batchId } = await importedBatch(LINES);
    // An empty find matches every line: the emails of the whole batch cross to the renderer.
    const all = await call('matchField', { batchId, field: 'email', find: '' });
    expect(all.lines.map((l) => l.value)).toContain('yamada@example.jp');
    await call('matchField', { batchId, field: 'email', find: '' });
    await call('matchField', { batchId, field: 'customer_name', find: '山田' });
    expect(accessEntries(store.db).map((e) => e.details)).toEqual([
      { what: 'match', orders: 3, lines: 4 },
      { what: 'match', orders: 2, lines: 2 },
    ]);
    for (const value of VALUES) expect(logText(store.db)).not.toContain(value);
  });

  it('records a look at the customer master (names, emails, addresses) as a master entry with its row count', async () => {
    const { ctx, store } = setup(scriptedDialogs([], []));
    const bytes = textBytes([CUSTOMER_HEADERS, ['C001', '山田商店', 'yamada@example.jp', '東京都千代田区1-1', '有効']], 'utf-8');
    importMaster(ctx, 'customers', { fileName: 'customers.csv', bytes });
    expect(showMaster(ctx, { list: 'customers', search: '山田' }).rows).toHaveLength(1);
    showMaster(ctx, { list: 'products' });
    const rows = store.db.prepare("SELECT batch_id, details FROM audit_log WHERE action = 'access'").all();
    expect(rows).toEqual([{ batch_id: null, details: '{"what":"master","list":"customers","rows":1}' }]);
    for (const value of VALUES) expect(logText(store.db)).not.toContain(value);
  });

  it('records a detail view once per order and visit, with its line count', async () => {
    const { call, store, batchId } = await importedBatch(LINES);
    const { lines } = await call('orderDetail', { batchId, orderRef: 'A-2', visit: 'v1' });
    expect(lines.map((l) => l.fields.sku)).toEqual(['SKU-1', 'SKU-2']);
    await call('orderDetail', { batchId, orderRef: 'A-2', visit: 'v1' });
    await call('orderDetail', { batchId, orderRef: 'A-1', visit: 'v1' });
    await call('orderDetail', { batchId, orderRef: 'A-2', visit: 'v2' });
    expect(accessEntries(store.db)).toEqual([
      { actor: 'sato', batch_id: batchId, order_ref: 'A-2', details: { what: 'detail', orders: 1, lines: 2 } },
      { actor: 'sato', batch_id: batchId, order_ref: 'A-1', details: { what: 'detail', orders: 1, lines: 1 } },
      { actor: 'sato', batch_id: batchId, order_ref: 'A-2', details: { what: 'detail', orders: 1, lines: 2 } },
    ]);
    for (const value of VALUES) expect(logText(store.db)).not.toContain(value);
  });

  it('records every export with the orders written (an error file has a row per line)', async () => {
    const out = tempDir();
    const path = join(out, 'errors.csv');
    const { call, store } = setup(scriptedDialogs([], [path]));
    const csv = join(tempDir(), 'orders.csv');
    writeFileSync(
      csv,
      csvOf([
        sampleLine('E-1', { メール: 'broken' }),
        sampleLine('E-1', { メール: 'broken', 品番: 'SKU-2' }),
        sampleLine('E-2', { 数量: 0, 得意先名: '山田商店' }),
        sampleLine('E-3'),
      ]),
    );
    const { batchId } = await call('runImport', { fileId: (await call('addDroppedFile', { path: csv })).fileId });
    expect(await call('exportBatch', { batchId, kind: 'errors', format: 'csv' })).toMatchObject({ saved: { rows: 3 } });
    expect(readFileSync(path, 'utf8')).toContain('山田商店');
    expect(accessEntries(store.db)).toEqual([
      {
        actor: 'sato',
        batch_id: batchId,
        order_ref: null,
        details: { what: 'export', orders: 2, lines: 3, kind: 'errors', format: 'csv' },
      },
    ]);
    expect(logText(store.db)).not.toContain('山田商店');
  });

  it('records `orders BATCH` on the command line, human and --json, and `audit list --action access` lists only these', async () => {
    const dataDir = tempDir();
    const env = { ORDER_STAGER_KEY: generateKey(), LANG: 'en_US.UTF-8' };
    const run = (...args: string[]) => cli(['--data-dir', dataDir, ...args], env);
    const file = join(tempDir(), 'orders.csv');
    writeFileSync(file, csvOf(LINES));
    expect((await run('import', file)).code).toBe(0);
    const json = await run('orders', '1', '--json');
    expect(json.code).toBe(0);
    expect(json.stdout).toContain('yamada@example.jp');
    expect((await run('orders', '1')).code).toBe(0);
    const listed = JSON.parse((await run('audit', 'list', '--action', 'access', '--json')).stdout) as { action: string; details: string }[];
    expect(listed.map((e) => [e.action, JSON.parse(e.details)])).toEqual([
      ['access', { what: 'cli', orders: 3 }],
      ['access', { what: 'cli', orders: 3 }],
    ]);
    const store = openStore({ path: storePath(dataDir), key: env.ORDER_STAGER_KEY });
    for (const value of VALUES) expect(logText(store.db)).not.toContain(value);
    store.close();
  });
});
