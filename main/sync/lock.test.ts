import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { stagedStore } from '../../tests/helpers/sync';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import type { Db } from '../store/database';
import { insertSyncRun } from '../store/sync-runs';
import { acquireSyncLock, LOCK_BEAT_MS, processStartedAt } from './lock';

const tempDir = tempDirsPerTest();
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function storeWithLock(holder: { pid: number; host?: string; heartbeatAgoMs: number; runStartedAgoMs?: number }): Db {
  const { store } = stagedStore(tempDir(), 1);
  cleanup.push(() => store.close());
  const startedAt = new Date(Date.now() - (holder.runStartedAgoMs ?? 0)).toISOString();
  const runId = insertSyncRun(store.db, { startedAt, startedBy: 'other', batchIds: [1] });
  store.db
    .prepare('INSERT INTO sync_lock (id, run_id, pid, host, heartbeat) VALUES (1, ?, ?, ?, ?)')
    .run(runId, holder.pid, holder.host ?? hostname(), Date.now() - holder.heartbeatAgoMs);
  return store.db;
}

async function liveProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  cleanup.push(() => child.kill('SIGKILL'));
  await new Promise((resolve) => child.once('spawn', resolve));
  return child;
}

const take = (db: Db) =>
  acquireSyncLock(db, () => insertSyncRun(db, { startedAt: new Date().toISOString(), startedBy: 'me', batchIds: [1] }));

describe('sync lock', () => {
  it('refuses while a live holder beats, on this machine or another', async () => {
    const child = await liveProcess();
    expect(() => take(storeWithLock({ pid: child.pid ?? 0, heartbeatAgoMs: 1000, runStartedAgoMs: 0 }))).toThrow(
      expect.objectContaining({ code: 'SYNC_ALREADY_RUNNING' }),
    );
    expect(() => take(storeWithLock({ pid: 1, host: 'other-desktop', heartbeatAgoMs: 2 * LOCK_BEAT_MS }))).toThrow(
      expect.objectContaining({ code: 'SYNC_ALREADY_RUNNING' }),
    );
  });

  it('takes over a lock whose heartbeat is older than three beats, whatever the pid says', async () => {
    const child = await liveProcess();
    const db = storeWithLock({ pid: child.pid ?? 0, heartbeatAgoMs: 3 * LOCK_BEAT_MS + 1000, runStartedAgoMs: 0 });
    const lock = take(db);
    expect(db.prepare('SELECT pid FROM sync_lock').get()).toEqual({ pid: process.pid });
    lock.release();
    const remote = storeWithLock({ pid: 1, host: 'other-desktop', heartbeatAgoMs: 3 * LOCK_BEAT_MS + 1000 });
    take(remote).release();
  });

  it.runIf(process.platform === 'linux')(
    'takes over a fresh lock whose pid now belongs to a process started after it (pid reuse)',
    async () => {
      const child = await liveProcess();
      expect(processStartedAt(child.pid ?? 0)).toBeGreaterThan(Date.now() - 10_000);
      // The lock was taken an hour ago by a process with this pid: the process now running under it is younger.
      const db = storeWithLock({ pid: child.pid ?? 0, heartbeatAgoMs: 1000, runStartedAgoMs: 3_600_000 });
      take(db).release();
    },
  );

  it('takes over at once from a dead holder on this machine', async () => {
    const child = await liveProcess();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    take(storeWithLock({ pid: child.pid ?? 0, heartbeatAgoMs: 0 })).release();
  });
});
