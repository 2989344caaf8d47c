import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { AppError } from '../shared/errors';
import type { Db } from '../store/database';
import { syncRunStartedAt } from '../store/sync-runs';

/** How often a running sync refreshes its lock; a lock not refreshed for three beats is stale. */
export const LOCK_BEAT_MS = 10_000;

/** Whether a process of this machine is running (one we may not signal counts as running). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** Clock ticks per second of /proc/PID/stat's starttime (USER_HZ: 100 on every mainstream Linux build). */
const USER_HZ = 100;

/** When a process started (epoch ms), on Linux from /proc; null elsewhere or when it cannot be read. */
export function processStartedAt(pid: number): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3, starttime 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const boot = Number(readFileSync('/proc/stat', 'utf8').match(/^btime (\d+)$/m)?.[1]);
    return Number.isFinite(ticks) && Number.isFinite(boot) ? boot * 1000 + (ticks * 1000) / USER_HZ : null;
  } catch {
    return null;
  }
}

interface HeldLock {
  run_id: number;
  pid: number;
  host: string;
  heartbeat: number;
}

/**
 * Whether a lock still belongs to a running sync. The heartbeat decides: older than three beats, the lock
 * is stale whatever its pid says (a zombie, a pid reused after a reboot). A fresh heartbeat from this
 * machine is checked further: the process must exist and must have started before the lock was taken
 * (otherwise its pid was reused).
 */
export function lockHeld(db: Db, held: HeldLock, beatMs: number, nowMs = Date.now()): boolean {
  if (nowMs - held.heartbeat > 3 * beatMs) return false;
  if (held.host !== hostname()) return true;
  if (held.pid === process.pid || !processAlive(held.pid)) return false;
  const started = processStartedAt(held.pid);
  const taken = syncRunStartedAt(db, held.run_id);
  // One second of tolerance: btime has whole seconds.
  return started === null || taken === null || started <= taken + 1000;
}

/**
 * Takes the store's sync lock, or fails with SYNC_ALREADY_RUNNING; a stale lock (see lockHeld) is taken
 * over. `recordRun` runs inside the same transaction, so a run is recorded only once it holds the lock.
 */
export function acquireSyncLock(db: Db, recordRun: () => number, beatMs = LOCK_BEAT_MS): { runId: number; release: () => void } {
  let runId = 0;
  db.transaction(() => {
    const held = db.prepare('SELECT run_id, pid, host, heartbeat FROM sync_lock WHERE id = 1').get() as HeldLock | undefined;
    if (held && lockHeld(db, held, beatMs)) throw new AppError('SYNC_ALREADY_RUNNING', {});
    runId = recordRun();
    db.prepare('INSERT OR REPLACE INTO sync_lock (id, run_id, pid, host, heartbeat) VALUES (1, ?, ?, ?, ?)').run(
      runId,
      process.pid,
      hostname(),
      Date.now(),
    );
  }).immediate();
  const beat = setInterval(() => {
    db.prepare('UPDATE sync_lock SET heartbeat = ? WHERE id = 1 AND run_id = ?').run(Date.now(), runId);
  }, beatMs);
  beat.unref();
  return {
    runId,
    release: () => {
      clearInterval(beat);
      db.prepare('DELETE FROM sync_lock WHERE id = 1 AND run_id = ?').run(runId);
    },
  };
}
