import type { Db } from './database';

/** The sync_runs table: one row per sync run, opened when it holds the lock, closed however it ends. */

export function insertSyncRun(db: Db, run: { startedAt: string; startedBy: string; batchIds: readonly number[] }): number {
  return Number(
    db
      .prepare('INSERT INTO sync_runs (started_at, started_by, batch_ids) VALUES (?, ?, ?)')
      .run(run.startedAt, run.startedBy, JSON.stringify(run.batchIds)).lastInsertRowid,
  );
}

export function finishSyncRun(db: Db, runId: number, end: { finishedAt: string; outcome: string; summary: unknown }): void {
  db.prepare('UPDATE sync_runs SET finished_at = ?, outcome = ?, summary = ? WHERE id = ?').run(
    end.finishedAt,
    end.outcome,
    JSON.stringify(end.summary),
    runId,
  );
}

/** When a run started (epoch ms), or null when it is not recorded. */
export function syncRunStartedAt(db: Db, runId: number): number | null {
  const row = db.prepare('SELECT started_at FROM sync_runs WHERE id = ?').get(runId) as { started_at: string } | undefined;
  return row ? Date.parse(row.started_at) : null;
}
