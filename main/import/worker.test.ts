import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handlerApp, scriptedDialogs } from '../../tests/helpers/handlers';
import { countRows } from '../../tests/helpers/import';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { sampleOrderRows, textBytes } from '../../scripts/fixtures/sample-sheets';
import type { ImportProgress } from './progress';

const tempDir = tempDirsPerTest();
const app = handlerApp(tempDir);

/** 50,000 orders of 1-3 lines, as `npm run bench:import`'s 100,000-line CSV (one is a total row, not an order line). */
const LINES = 99_999;

function bigCsv(): string {
  const path = join(tempDir(), 'lines-100k.csv');
  writeFileSync(path, textBytes(sampleOrderRows({ orders: 50_000, maxLines: 3, withErrors: true, prefix: 'BIG' }), 'utf-8'));
  return path;
}

/** A store with one small batch already imported (for the review queries), and the 100,000-line file opened. */
async function appWithBigFile() {
  const env = app.setup(scriptedDialogs([], []));
  const small = join(tempDir(), 'small.csv');
  writeFileSync(small, textBytes(sampleOrderRows({ orders: 30, withErrors: true, prefix: 'SM' }), 'utf-8'));
  const first = await env.call('addDroppedFile', { path: small });
  const { batchId } = await env.call('runImport', { fileId: first.fileId });
  const file = await env.call('addDroppedFile', { path: bigCsv() });
  const progress: ImportProgress[] = [];
  env.ctx.imports.on('progress', (event) => progress.push(event));
  return { ...env, batchId, file, progress };
}

const TABLES = ['batches', 'orders', 'order_lines', 'mapping_templates', 'order_edits'];

function counts(db: Parameters<typeof countRows>[0]) {
  return Object.fromEntries(TABLES.map((table) => [table, countRows(db, table)]));
}

describe('import in a worker thread', () => {
  it('keeps main answering review queries (lines, overview) in < 200 ms while a 100,000-line import runs, with progress 0 to 100', async () => {
    const env = await appWithBigFile();
    let finished = false;
    // Each query is due at a planned time (every 25 ms from now) and timed from then: a query due while main's
    // thread is busy (an import run on it) counts the wait. In a window, the IPC call would wait the same way.
    let due = performance.now();
    const running = env.call('runImport', { fileId: env.file.fileId }).finally(() => {
      finished = true;
    });
    const latencies: number[] = [];
    // Queries from the moment the import starts until it ends (reading, validating and writing alike).
    // (listBatches is left out: once the 100,000 lines are committed, its totals over every order take that
    // long by themselves, worker or not.)
    while (!finished) {
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await env.call('queryLines', { batchId: env.batchId, sort: { column: 'row', direction: 'asc' }, offset: 0, limit: 200 });
      latencies.push(performance.now() - due);
      const started = performance.now();
      await env.call('batchOverview', { batchId: env.batchId });
      latencies.push(performance.now() - started);
      due = Math.max(due + 25, performance.now());
    }
    const outcome = await running;
    expect(outcome.lines).toBe(LINES);
    expect(env.ctx.imports.running).toBe(false);
    latencies.sort((a, b) => a - b);
    const percentile = (p: number) => latencies[Math.floor(latencies.length * p)] ?? Number.POSITIVE_INFINITY;
    console.log(
      `100,000-line import: ${outcome.durationMs} ms; ${latencies.length} review queries meanwhile, median ${percentile(0.5).toFixed(0)} ms, 95th percentile ${percentile(0.95).toFixed(0)} ms, slowest ${latencies.at(-1)?.toFixed(0)} ms`,
    );
    // None of the queries waited for the import (run on main's thread, the first would wait for all of it): they
    // answer in < 200 ms, a few ms on an idle machine. On this shared 2-core machine at a load of 15 the OS now and
    // then keeps main's thread off a core (timers fire late too): a few queries in a hundred may take that long,
    // none as long as the import.
    expect(percentile(0.95)).toBeLessThan(200);
    expect(latencies.at(-1)).toBeLessThan(2000);
    expect(latencies.length).toBeGreaterThanOrEqual(10);

    // Progress: from 0 to 100, never back, a few a second (not one per order), lines counted against the total.
    const percents = env.progress.map((p) => p.percent);
    expect(percents[0]).toBe(0);
    expect(percents.at(-1)).toBe(100);
    for (let i = 1; i < percents.length; i += 1) expect(percents[i]).toBeGreaterThanOrEqual(percents[i - 1] ?? 0);
    const staging = env.progress.filter((p) => p.phase === 'staging');
    expect(staging.length).toBeGreaterThan(2);
    expect(env.progress.length).toBeLessThan(100);
    expect(staging.at(-1)).toEqual({ phase: 'staging', linesRead: LINES, linesTotal: LINES, percent: 100 });
    for (const p of staging) expect(p.linesRead).toBeLessThanOrEqual(p.linesTotal);
  }, 120_000);

  it('cancelled mid-way leaves the store as it was: no batch, no orders, no template; the audit says so with counts', async () => {
    const env = await appWithBigFile();
    const before = counts(env.store.db);
    const auditBefore = countRows(env.store.db, 'audit_log');
    let asked = false;
    env.ctx.imports.on('progress', (p) => {
      if (!asked && p.phase === 'staging' && p.linesRead > 0) {
        asked = true;
        void env.call('cancelImport').then((answer) => expect(answer).toEqual({ cancelled: true }));
      }
    });
    const failure = await env.failure('runImport', { fileId: env.file.fileId, saveTemplateAs: '途中で中止' });
    expect(failure.code).toBe('IMPORT_CANCELLED');
    expect(asked).toBe(true);
    expect(counts(env.store.db)).toEqual(before);
    const audit = env.store.db.prepare('SELECT action, batch_id, details FROM audit_log ORDER BY seq').all() as {
      action: string;
      batch_id: number | null;
      details: string;
    }[];
    expect(audit).toHaveLength(auditBefore + 1);
    const last = audit.at(-1);
    expect(last?.action).toBe('batch.import_cancelled');
    expect(last?.batch_id).toBeNull();
    const details = JSON.parse(last?.details ?? '{}') as Record<string, number>;
    expect(Object.keys(details).sort()).toEqual(['lines_read', 'lines_total']);
    expect(details.lines_read).toBeGreaterThan(0);
    expect(details.lines_read).toBeLessThan(LINES);
    expect(details.lines_total).toBe(LINES);
    // Nothing is left running or locked: the file (still open in the wizard) imports in full afterwards.
    expect(await env.call('cancelImport')).toEqual({ cancelled: false });
    const again = await env.call('runImport', { fileId: env.file.fileId });
    expect(again.lines).toBe(LINES);
  }, 120_000);

  it('cancelled while the file is still being read: the thread stops before it opens the store', async () => {
    const env = await appWithBigFile();
    const before = counts(env.store.db);
    const running = env.failure('runImport', { fileId: env.file.fileId });
    // The worker reads the file (no preview kept its rows) before it connects: this cancel lands in that phase.
    await new Promise((resolve) => env.ctx.imports.once('progress', resolve));
    expect(await env.call('cancelImport')).toEqual({ cancelled: true });
    expect((await running).code).toBe('IMPORT_CANCELLED');
    expect(counts(env.store.db)).toEqual(before);
    const last = env.store.db.prepare('SELECT action, details FROM audit_log ORDER BY seq DESC LIMIT 1').get();
    expect(last).toEqual({ action: 'batch.import_cancelled', details: JSON.stringify({ lines_read: 0, lines_total: 0 }) });
  }, 120_000);

  it("lets main write during an import: an edit waits for the worker's commit (busy timeout), then is made", async () => {
    const env = app.setup(scriptedDialogs([], []));
    const small = join(tempDir(), 'small.csv');
    writeFileSync(small, textBytes(sampleOrderRows({ orders: 30, withErrors: true, prefix: 'SM' }), 'utf-8'));
    const { batchId } = await env.call('runImport', { fileId: (await env.call('addDroppedFile', { path: small })).fileId });
    const path = join(tempDir(), 'lines-20k.csv');
    writeFileSync(path, textBytes(sampleOrderRows({ orders: 10_000, maxLines: 3, prefix: 'MID' }), 'utf-8'));
    const file = await env.call('addDroppedFile', { path });
    const staging = new Promise<void>((resolve) =>
      env.ctx.imports.on('progress', (p) => {
        if (p.phase === 'staging' && p.linesRead > 0) resolve();
      }),
    );
    const running = env.call('runImport', { fileId: file.fileId });
    await staging;
    // The worker holds the write lock: this edit waits for its commit (main's busy timeout is 5 s) and is made.
    const edited = await env.call('editField', { batchId, orderRef: 'SM-000007', field: 'email', value: 'fixed@example.co.jp' });
    expect(edited.valid).toBe(true);
    const imported = await running;
    const actions = env.store.db.prepare('SELECT action FROM audit_log ORDER BY seq').all() as { action: string }[];
    // The edit came after the import's commit, not inside it nor lost.
    expect(actions.map((a) => a.action).slice(-2)).toEqual(['batch.imported', 'order.edited']);
    expect(imported.lines).toBeGreaterThan(19_000);
  }, 120_000);

  it('refuses a second import while one runs', async () => {
    const env = await appWithBigFile();
    const running = env.call('runImport', { fileId: env.file.fileId });
    const second = await env.failure('runImport', { fileId: env.file.fileId });
    expect(second.code).toBe('IMPORT_IN_PROGRESS');
    expect((await running).lines).toBe(LINES);
  }, 120_000);
});
