import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { handlerApp, scriptedDialogs } from '../../tests/helpers/handlers';
import { sampleLine } from '../../scripts/fixtures/sample-sheets';
import { openStore } from '../store/database';
import { generateKey } from '../store/key';
import { readSetting } from '../store/settings';
import { pickerToCron, SCHEDULE_MAX_PARTS } from '../shared/schedule';
import { withStaffLimits } from '../sync/manager';

const tempDir = tempDirsPerTest();

const { setup, importedBatch } = handlerApp(tempDir);

const SORT = { column: 'row', direction: 'asc' } as const;

describe('export, settings and backup channels', () => {
  it('exports errors through the save dialog and records it; a cancelled dialog writes and records nothing', async () => {
    const dir = tempDir();
    const out = join(dir, 'errors.xlsx');
    const { call, batchId, store, ctx } = await importedBatch([sampleLine('E-1', { メール: 'broken' }), sampleLine('E-2')]);
    const dialogs = scriptedDialogs([], [null, out]) as ReturnType<typeof scriptedDialogs>;
    ctx.dialogs = dialogs;
    expect(await call('exportBatch', { batchId, kind: 'errors', format: 'xlsx' })).toEqual({ saved: null });
    expect(store.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'batch.exported'").pluck().get()).toBe(0);
    expect(await call('exportBatch', { batchId, kind: 'errors', format: 'xlsx' })).toEqual({ saved: { fileName: 'errors.xlsx', rows: 1 } });
    expect(dialogs.saveRequests[0]).toMatch(new RegExp(`^エラー_バッチ${batchId}_\\d{4}-\\d{2}-\\d{2}\\.xlsx$`));
    // Personal data in clear: only the user may read the file (POSIX).
    if (process.platform !== 'win32') expect(statSync(out).mode & 0o777).toBe(0o600);
    const sheet = XLSX.read(readFileSync(out)).Sheets.export;
    const table = XLSX.utils.sheet_to_json<string[]>(sheet ?? {}, { header: 1 });
    expect(table[1]).toEqual(expect.arrayContaining(['E-1', 'broken', 'INVALID_EMAIL']));
    expect(store.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'batch.exported'").pluck().get()).toBe(1);

    // Staff fix the exported file and bring it back into the batch: the order is updated, not duplicated.
    const header = table[0] ?? [];
    const fixedRow = [...(table[1] ?? [])];
    fixedRow[header.indexOf('メール')] = 'buyer@example.co.jp';
    const fixedBook = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(fixedBook, XLSX.utils.aoa_to_sheet([header, fixedRow]), 'export');
    const fixed = join(dir, 'errors-fixed.xlsx');
    writeFileSync(fixed, XLSX.write(fixedBook, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    ctx.dialogs = scriptedDialogs([null, fixed], []);
    expect(await call('reimportBatch', { batchId })).toEqual({ result: null });
    expect(await call('reimportBatch', { batchId })).toEqual({
      result: { fileName: 'errors-fixed.xlsx', updated: 1, valid: 1, invalid: 0, notInBatch: 0, locked: 0, zerosRestored: 0 },
    });
    const lines = await call('queryLines', { batchId, sort: SORT, offset: 0, limit: 10 });
    expect(lines.rows.map((r) => [r.orderRef, r.status])).toEqual([
      ['E-1', 'valid'],
      ['E-2', 'valid'],
    ]);
    expect(store.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'batch.reimported'").pluck().get()).toBe(1);
  });

  it('keeps the backend secret write-only and applies limits, schedule and retention with audit entries', async () => {
    const { call, failure, store, ctx } = setup(scriptedDialogs([], []));
    const initial = await call('getSettings');
    expect(initial).toMatchObject({
      locale: 'ja',
      backend: { mode: 'simulator', url: null, hasSecret: false },
      limits: { notifications: { ratePerSecond: 10, timeoutMs: 10_000 } },
      schedule: { cron: null, nextRun: null },
      retentionDays: null,
      store: { encrypted: true, cipher: 'sqlcipher', pageSize: 16384 },
    });
    expect((await failure('saveBackend', { mode: 'remote', url: 'https://orders.example.co.jp', clientId: 'os' })).code).toBe(
      'INVALID_INPUT',
    );
    const remote = await call('saveBackend', {
      mode: 'remote',
      url: 'https://orders.example.co.jp',
      clientId: 'order-stager',
      clientSecret: 's3cret-value',
    });
    expect(remote.backend).toEqual({ mode: 'remote', url: 'https://orders.example.co.jp/', clientId: 'order-stager', hasSecret: true });
    expect(JSON.stringify(remote)).not.toContain('s3cret-value');
    // Saving again without a secret keeps the stored one, on the same origin only: it never follows the URL elsewhere.
    await call('saveBackend', { mode: 'remote', url: 'https://orders.example.co.jp/v2', clientId: 'order-stager' });
    expect(readSetting(store.db, 'backendClientSecret', null)).toBe('s3cret-value');
    expect(await failure('saveBackend', { mode: 'remote', url: 'https://orders2.example.co.jp', clientId: 'order-stager' })).toEqual({
      code: 'BACKEND_SECRET_REQUIRED',
      params: { host: 'orders2.example.co.jp' },
    });
    expect(readSetting(store.db, 'backendUrl', null)).toBe('https://orders.example.co.jp/v2');
    // The transport policy, with its own error codes: plain http off this machine, javascript:, file:, credentials.
    expect(await failure('saveBackend', { mode: 'remote', url: 'http://orders.example.co.jp', clientId: 'o', clientSecret: 's' })).toEqual({
      code: 'BACKEND_URL_INSECURE',
      params: { host: 'orders.example.co.jp' },
    });
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://user:pw@orders.example.co.jp',
      'https://orders.example.co.jp/?api_key=k',
    ])
      expect((await failure('saveBackend', { mode: 'remote', url, clientId: 'o', clientSecret: 's' })).code).toBe('BACKEND_URL_INVALID');
    expect(JSON.stringify(store.db.prepare('SELECT * FROM audit_log').all())).not.toContain('s3cret');
    // Which backend, as the log may keep it (credentials, query and fragment would be dropped: main/audit/redact.ts).
    // The refused URLs (another origin without a secret, the policy's refusals) left no entry.
    expect(store.db.prepare('SELECT details FROM audit_log WHERE details LIKE \'%"backend"%\' ORDER BY seq').pluck().all()).toEqual([
      '{"setting":"backend","value":"remote, new secret https://orders.example.co.jp"}',
      '{"setting":"backend","value":"remote https://orders.example.co.jp/v2"}',
    ]);

    const limits = { ...initial.limits, notifications: { ratePerSecond: 5, concurrency: 4, timeoutMs: 8000 } };
    expect((await call('saveLimits', limits)).limits.notifications).toEqual({ ratePerSecond: 5, concurrency: 4, timeoutMs: 8000 });
    expect(withStaffLimits(store.db, {}).services?.notifications).toMatchObject({ ratePerSecond: 5, concurrency: 4, timeoutMs: 8000 });
    expect((await failure('saveLimits', { ...limits, orders: { ratePerSecond: -1, concurrency: 1, timeoutMs: 1000 } })).code).toBe(
      'INVALID_INPUT',
    );

    let restarts = 0;
    ctx.onScheduleChanged = () => {
      restarts += 1;
    };
    expect((await failure('saveSchedule', { cron: 'every morning' })).code).toBe('SCHEDULE_INVALID');
    expect(restarts).toBe(0);
    const scheduled = await call('saveSchedule', { cron: '0 2 * * 1-5' });
    expect(restarts).toBe(1);
    expect(scheduled.schedule.cron).toBe('0 2 * * 1-5');
    expect(new Date(scheduled.schedule.nextRun ?? '').getTime()).toBeGreaterThan(Date.now());
    expect((await call('saveSchedule', { cron: '' })).schedule.cron).toBeNull();

    expect((await failure('purgeNow')).code).toBe('RETENTION_NOT_SET');
    expect((await call('saveRetention', { days: 90 })).retentionDays).toBe(90);
    expect(await call('purgeNow')).toEqual({ orders: 0, batches: 0, held: 0, inSync: 0, customers: 0 });
    const back = await call('saveBackend', { mode: 'simulator' });
    expect(back.backend).toEqual({ mode: 'simulator', url: null, clientId: null, hasSecret: false });
    const settingsChanges = store.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'settings.changed'").pluck().get();
    expect(settingsChanges).toBe(7);
  });

  it('saves what the schedule picker writes for several times on chosen days, and refuses a schedule of too many expressions', async () => {
    const { call, failure, store } = setup(scriptedDialogs([], []));
    // Five times with different minutes on Monday to Saturday: five expressions, 111 characters.
    const picked = pickerToCron({ days: { kind: 'days', days: [1, 2, 3, 4, 5, 6] }, times: ['08:05', '10:10', '12:15', '14:20', '16:25'] });
    expect(picked?.length).toBeGreaterThan(100);
    expect((await call('saveSchedule', { cron: picked })).schedule.cron).toBe(picked);
    expect(readSetting(store.db, 'syncSchedule', null)).toBe(picked);
    // Each expression is a timer of the scheduler: a schedule cannot hold any number of them.
    const many = Array.from({ length: SCHEDULE_MAX_PARTS + 1 }, (_, i) => `${i % 60} ${Math.floor(i / 60)} * * *`).join(';');
    expect(many.length).toBeLessThanOrEqual(2000);
    expect((await failure('saveSchedule', { cron: many })).code).toBe('SCHEDULE_INVALID');
    expect((await failure('saveSchedule', { cron: '0 2 * * *;'.repeat(201) })).code).toBe('INVALID_INPUT');
    expect(readSetting(store.db, 'syncSchedule', null)).toBe(picked);
  });

  it('keeps updates off until an https update feed is saved, and off again when cleared', async () => {
    const { call, failure } = setup(scriptedDialogs([], []));
    expect((await call('getSettings')).updates).toEqual({ url: null });
    expect((await failure('saveUpdateUrl', { url: 'http://updates.example.co.jp/feed' })).code).toBe('BACKEND_URL_INSECURE');
    expect((await call('saveUpdateUrl', { url: 'https://updates.example.co.jp/feed' })).updates).toEqual({
      url: 'https://updates.example.co.jp/feed',
    });
    expect((await call('saveUpdateUrl', { url: null })).updates).toEqual({ url: null });
  });

  it('backs the store up through the save dialog to a copy readable with the same key', async () => {
    const dir = tempDir();
    const out = join(dir, 'backup.db');
    const { call, ctx } = await importedBatch([sampleLine('K-1')]);
    ctx.dialogs = scriptedDialogs([], [out]);
    expect(await call('backupStore')).toEqual({ saved: { fileName: 'backup.db' } });
    expect(existsSync(out)).toBe(true);
    if (!ctx.key) throw new Error('context without key');
    const copy = openStore({ path: out, key: ctx.key });
    expect(copy.db.prepare('SELECT order_ref FROM orders').pluck().all()).toEqual(['K-1']);
    copy.close();
  });

  it('restores only a backup readable with the store key, then asks the shell to restart on it', async () => {
    const dir = tempDir();
    const foreign = join(dir, 'other-key.db');
    openStore({ path: foreign, key: generateKey() }).close();
    const good = join(dir, 'good.db');
    const restarts: string[] = [];
    const { call, failure, ctx, store } = setup(scriptedDialogs([], [good], [null, foreign, good]), (path) => restarts.push(path));
    await call('backupStore');
    expect(await call('restoreStore')).toEqual({ restoring: false });
    expect((await failure('restoreStore')).code).toBe('STORE_UNREADABLE');
    expect(await call('restoreStore')).toEqual({ restoring: true });
    // The shell is asked to restart once the answer has reached the window.
    expect(restarts).toEqual([]);
    await expect.poll(() => restarts).toEqual([good]);
    expect(store.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'store.restore_requested'").pluck().get()).toBe(1);
    ctx.restoreAndRestart = null;
    expect((await failure('restoreStore')).code).toBe('RESTORE_UNAVAILABLE');
  });
});
