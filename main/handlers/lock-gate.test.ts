import { describe, expect, it } from 'vitest';
import { handlerApp } from '../../tests/helpers/handlers';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { sampleLine } from '../../scripts/fixtures/sample-sheets';
import { channels, type EventName, type Input, type Method, methodNames } from '../shared/contract';
import { dispatch, type Handlers, OPEN_WHILE_LOCKED } from './dispatch';
import { wireAppEvents } from './events';
import { createHandlers } from '.';

const tempDir = tempDirsPerTest();
const { importedBatch } = handlerApp(tempDir);

/**
 * A valid input for every channel of the contract (checked against its schema below). A new channel makes this
 * table fail to compile until it has one, and so it is walked by the test: locked unless OPEN_WHILE_LOCKED says.
 */
function validInputs(batchId: number, fileId: string): { [M in Method]: Input<M> } {
  const line = { batchId, sort: { column: 'row' as const, direction: 'asc' as const }, offset: 0, limit: 50 };
  return {
    getAppInfo: undefined,
    setLocale: { locale: 'en' },
    listBatches: undefined,
    startSync: { batchIds: [batchId] },
    pauseSync: undefined,
    resumeSync: undefined,
    cancelSync: undefined,
    getSyncStatus: undefined,
    pickImportFile: undefined,
    addDroppedFile: { path: '/tmp/orders.csv' },
    previewImport: { fileId },
    closeImportFile: { fileId },
    runImport: { fileId },
    queryLines: { ...line, visit: 'v1' },
    batchOverview: { batchId },
    editField: { batchId, orderRef: 'L-1', field: 'email', value: 'new@example.jp' },
    setExcluded: { batchId, orderRefs: ['L-1'], excluded: true },
    editMany: { batchId, kind: 'set', edits: [{ orderRef: 'L-1', field: 'notes', value: 'x' }] },
    matchField: { batchId, field: 'customer_name', find: '' },
    markReady: { batchId, ready: true },
    reimportBatch: { batchId },
    listAudit: { offset: 0, limit: 50 },
    verifyAudit: undefined,
    exportBatch: { batchId, kind: 'errors', format: 'csv' },
    getSettings: undefined,
    saveBackend: { mode: 'simulator' },
    saveLimits: {
      orders: { ratePerSecond: null, concurrency: 8, timeoutMs: 30000 },
      payments: { ratePerSecond: null, concurrency: 8, timeoutMs: 30000 },
      notifications: { ratePerSecond: null, concurrency: 8, timeoutMs: 10000 },
    },
    saveSchedule: { cron: null },
    saveRetention: { days: 30 },
    saveUpdateUrl: { url: null },
    purgeNow: undefined,
    backupStore: undefined,
    restoreStore: undefined,
    listMasters: undefined,
    importMaster: { list: 'products' },
    showMaster: { list: 'customers' },
    clearMaster: { list: 'products' },
    applySuggestion: { batchId, orderRef: 'L-1', row: 2, code: 'UNKNOWN_SKU', value: 'SKU-1' },
    orderDetail: { batchId, orderRef: 'L-1', visit: 'v1' },
    getLockStatus: undefined,
    lockNow: undefined,
    unlock: { method: 'none' },
    reportActivity: undefined,
    saveLockSettings: { enabled: true, idleMinutes: 5 },
    setPassphrase: { next: 'correct horse battery' },
  };
}

/** The handlers with every call counted: a refused channel must never reach its handler. */
function counted(handlers: Handlers): { handlers: Handlers; ran: string[] } {
  const ran: string[] = [];
  const wrapped = { ...handlers } as Record<string | symbol, unknown>;
  for (const method of methodNames) {
    const real = handlers[method] as (input: unknown) => unknown;
    wrapped[method] = (input: unknown) => {
      ran.push(method);
      return real(input);
    };
  }
  return { handlers: wrapped as unknown as Handlers, ran };
}

describe('the lock in the dispatcher', () => {
  it('answers LOCKED on every channel of the contract but the few open ones, and runs none of their handlers', async () => {
    const { ctx, store, batchId } = await importedBatch([sampleLine('L-1', { 得意先名: '山田商店', メール: 'yamada@example.jp' })]);
    const inputs = validInputs(batchId, 'f-1');
    for (const method of methodNames) expect(channels[method].input.safeParse(inputs[method]).success, method).toBe(true);
    const { handlers, ran } = counted(createHandlers(ctx));
    const before = store.db.prepare('SELECT count(*) FROM audit_log').pluck().get();
    ctx.lock.lock('manual');

    const answers: Record<string, unknown> = {};
    for (const method of methodNames.filter((m) => !OPEN_WHILE_LOCKED.has(m)))
      answers[method] = await dispatch(handlers, channels[method].channel, inputs[method]);
    for (const [method, answer] of Object.entries(answers))
      expect(answer, method).toEqual({ ok: false, error: { code: 'LOCKED', params: {} } });
    expect(Object.keys(answers)).toHaveLength(methodNames.length - OPEN_WHILE_LOCKED.size);
    expect(ran).toEqual([]);
    // Only the lock entry was written: nothing was looked at, changed or exported.
    expect(store.db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(Number(before) + 1);

    // The open ones answer, with nothing personal in what they say.
    for (const method of ['getAppInfo', 'getLockStatus', 'getSyncStatus', 'lockNow'] as const) {
      const answer = await dispatch(handlers, channels[method].channel, inputs[method]);
      expect(answer.ok, method).toBe(true);
      expect(JSON.stringify(answer)).not.toMatch(/山田|yamada/);
    }
    expect(await dispatch(handlers, 'lock:unlock', { method: 'none' })).toMatchObject({ ok: true, value: { locked: false } });
    expect(await dispatch(handlers, 'review:lines', inputs.queryLines)).toMatchObject({ ok: true, value: { total: 1 } });
  });

  it('lists only channels that return no personal data as open while locked', () => {
    expect([...OPEN_WHILE_LOCKED].sort()).toEqual(['getAppInfo', 'getLockStatus', 'getSyncStatus', 'lockNow', 'unlock']);
  });

  it('sends only counts while locked: batch changes are dropped, a file opened with the app waits for the unlock', async () => {
    const { ctx } = await importedBatch([sampleLine('L-1')]);
    const sent: [string, unknown][] = [];
    const wiring = wireAppEvents(ctx, (channel, payload) => sent.push([channel, payload]));
    ctx.lock.lock('manual');
    wiring.notify([1]);
    wiring.send('importRequested', { fileId: 'f-1', fileName: '山田商店様.csv', sizeBytes: 10 });
    expect(sent.map(([channel]) => channel)).toEqual(['lock:changed']);
    await ctx.lock.unlock('none');
    expect(sent.map(([channel]) => channel as EventName | string)).toEqual(['lock:changed', 'lock:changed', 'import:requested']);
    wiring.dispose();
  });
});
