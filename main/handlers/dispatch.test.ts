import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { createAppContext } from '../app/context';
import { channels, events, SyncProgress } from '../shared/contract';
import { AppError, type ErrorInfo } from '../shared/errors';
import { insertBatch } from '../store/batches';
import { openStore } from '../store/database';
import { generateKey } from '../store/key';
import { dispatch, type Handlers } from './dispatch';
import { wireAppEvents } from './events';
import { createHandlers } from '.';

const tempDir = tempDirsPerTest();

function realHandlers() {
  const dataDir = tempDir();
  const store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
  const ctx = createAppContext({ version: '9.9.9', dataDir, store, actor: 'tester' });
  return { ctx, handlers: createHandlers(ctx) };
}

describe('dispatch', () => {
  it('runs a contract channel against the real handlers and store', async () => {
    const { ctx, handlers } = realHandlers();
    insertBatch(ctx.store.db, {
      sourceFileName: '11月発注.csv',
      sourceSha256: 'b'.repeat(64),
      sheetName: null,
      encoding: 'shift_jis',
      headerRow: 2,
      columnMapping: { 注文番号: 'order_ref' },
      importedBy: 'tester',
      importedAt: '2026-11-25T09:00:00.000Z',
    });
    const result = await dispatch(handlers, 'batches:list', undefined);
    expect(result).toMatchObject({ ok: true, value: [{ sourceFileName: '11月発注.csv', orders: { total: 0 }, status: 'staged' }] });
    const info = await dispatch(handlers, 'app:info', undefined);
    expect(info).toMatchObject({
      ok: true,
      value: { version: '9.9.9', locale: 'ja', store: { encrypted: true, cipher: 'sqlcipher' }, backend: { mode: 'simulator' } },
    });
    ctx.store.close();
  });

  it('persists the language and audits the change', async () => {
    const { ctx, handlers } = realHandlers();
    expect(await dispatch(handlers, 'app:set-locale', { locale: 'en' })).toEqual({ ok: true, value: { locale: 'en' } });
    expect(await dispatch(handlers, 'app:info', undefined)).toMatchObject({ ok: true, value: { locale: 'en' } });
    const audit = ctx.store.db.prepare('SELECT actor, action, details FROM audit_log').all();
    expect(audit).toEqual([{ actor: 'tester', action: 'settings.changed', details: '{"setting":"locale","value":"en"}' }]);
    ctx.store.close();
  });

  it('rejects channels outside the contract', async () => {
    const { handlers, ctx } = realHandlers();
    expect(await dispatch(handlers, 'fs:read', '/etc/passwd')).toEqual({ ok: false, error: { code: 'UNKNOWN_CHANNEL', params: {} } });
    expect(await dispatch(handlers, '__proto__', undefined)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    ctx.store.close();
  });

  it('validates input against the schema before the handler runs', async () => {
    const { handlers, ctx } = realHandlers();
    const result = await dispatch(handlers, 'app:set-locale', { locale: 'fr' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(ctx.store.db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 0 });
    ctx.store.close();
  });

  it('returns domain errors as codes and hides everything else behind INTERNAL', async () => {
    const logged: ErrorInfo[] = [];
    const log = { error: (_channel: string, info: ErrorInfo) => logged.push(info) };
    const failing = (error: unknown) =>
      ({
        getAppInfo: () => {
          throw error;
        },
      }) as unknown as Handlers;
    expect(await dispatch(failing(new AppError('STORE_LOCKED', { path: '/x' })), 'app:info', undefined, log)).toEqual({
      ok: false,
      error: { code: 'STORE_LOCKED', params: { path: '/x' } },
    });
    const leaky = new Error("SQLITE_CONSTRAINT: INSERT INTO orders VALUES ('山田太郎', 'taro@example.jp')");
    const result = await dispatch(failing(leaky), 'app:info', undefined, log);
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', params: {} } });
    expect(JSON.stringify(result)).not.toContain('山田');
    expect(logged.map((i) => i.code)).toEqual(['STORE_LOCKED', 'INTERNAL']);
  });

  it('refuses handler output that breaks the contract', async () => {
    const bad = { listBatches: () => [{ id: 'not-a-number' }] } as unknown as Handlers;
    expect(await dispatch(bad, 'batches:list', undefined)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

describe('contract', () => {
  it('names every channel domain:verb, once', () => {
    const names = Object.values(channels).map((c) => c.channel);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z]+:[a-z-]+$/);
  });
});

describe('sync over IPC', () => {
  it('starts a run in the background, pushes progress, and reports status', async () => {
    const { sampleOrderRows, workbookBytes } = await import('../../scripts/fixtures/sample-sheets');
    const { importFile } = await import('../import/stage');
    const { ctx, handlers } = realHandlers();
    const { batchId } = importFile(ctx.store.db, {
      fileName: 'ipc.xlsx',
      bytes: workbookBytes(sampleOrderRows({ orders: 6, maxLines: 1 }), 'xlsx'),
      actor: 'tester',
    });
    // What the renderer would receive: every push event through the shell's own wiring, checked by the contract.
    const pushed: { channel: string; payload: unknown }[] = [];
    const wired = wireAppEvents(ctx, (channel, payload) => pushed.push({ channel, payload }));
    const finished = new Promise((resolve) => ctx.sync.once('finished', resolve));
    expect(await dispatch(handlers, 'sync:start', { batchIds: [batchId] })).toEqual({ ok: true, value: { started: true } });
    expect(await dispatch(handlers, 'sync:start', { batchIds: [batchId] })).toMatchObject({
      ok: false,
      error: { code: 'SYNC_ALREADY_RUNNING' },
    });
    expect(await dispatch(handlers, 'sync:status', undefined)).toMatchObject({ ok: true, value: { running: true } });
    await finished;
    const status = await dispatch(handlers, 'sync:status', undefined);
    expect(status).toMatchObject({ ok: true, value: { running: false, progress: { state: 'finished', done: 6, total: 6 } } });
    const progress = pushed.filter((e) => e.channel === events.syncProgress.channel).map((e) => SyncProgress.parse(e.payload));
    expect(progress.length).toBeGreaterThan(0);
    // One run, counting up, ending where the status says it ended.
    expect(new Set(progress.map((p) => p.runId)).size).toBe(1);
    for (let i = 1; i < progress.length; i += 1)
      expect((progress[i] as SyncProgress).done).toBeGreaterThanOrEqual((progress[i - 1] as SyncProgress).done);
    expect(progress.at(-1)).toMatchObject({ state: 'finished', done: 6, total: 6, failed: 0, needsReview: 0 });
    expect(progress.at(-1)?.services.notifications.done).toBe(6);
    // Then the renderer is told which batch changed, once the run is over.
    expect(pushed.at(-1)).toEqual({ channel: events.batchesChanged.channel, payload: { batchIds: [batchId] } });
    expect(pushed.some((e) => e.channel === events.syncFailed.channel)).toBe(false);
    wired.dispose();
    expect(await dispatch(handlers, 'sync:start', { batchIds: [999] })).toMatchObject({ ok: false, error: { code: 'BATCH_NOT_FOUND' } });
    expect(await dispatch(handlers, 'sync:start', { batchIds: [] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await ctx.sync.close();
    ctx.store.close();
  });
});
