import { appendAudit } from '../audit/log';
import type { ErrorInfo } from '../shared/errors';
import type { Db } from '../store/database';
import { finishSyncRun } from '../store/sync-runs';

/** Who ran a sync run, as recorded with its entries in the audit log. */
export interface RunRecord {
  runId: number;
  actor: string;
  backendIdentity: string | null;
}

export interface RunCounts {
  orders: { done: number; failed: number; needs_review: number; remaining: number };
  yen: { synced: number };
}

export type RunEnd<S extends RunCounts> =
  | { outcome: 'finished' | 'cancelled'; summary: S }
  /** summary is null when the counts could not be read (the store itself failed). */
  | { outcome: 'failed'; error: ErrorInfo; summary: S | null };

/**
 * Closes a run in the record: its row in sync_runs (finished_at, outcome, summary) and the closing audit
 * entry (`sync.finished`, `sync.cancelled` or `sync.failed`) are written in one transaction, so a run that
 * started never stays open in one and closed in the other. A failure records the error's code and its
 * parameters (codes and counts only, never personal data: see shared/errors).
 */
export function closeRun<S extends RunCounts>(db: Db, run: RunRecord, end: RunEnd<S>, now = new Date()): void {
  const counts: Record<string, number> = end.summary
    ? {
        done: end.summary.orders.done,
        failed: end.summary.orders.failed,
        needs_review: end.summary.orders.needs_review,
        remaining: end.summary.orders.remaining,
        yen_synced: end.summary.yen.synced,
      }
    : {};
  const summary = end.outcome === 'failed' ? { ...end.summary, run_id: run.runId, outcome: 'failed', error: end.error } : end.summary;
  const error =
    end.outcome === 'failed'
      ? { code: end.error.code, ...(Object.keys(end.error.params).length ? { params: JSON.stringify(end.error.params) } : {}) }
      : {};
  db.transaction(() => {
    finishSyncRun(db, run.runId, { finishedAt: now.toISOString(), outcome: end.outcome, summary });
    appendAudit(
      db,
      {
        actor: run.actor,
        backendIdentity: run.backendIdentity,
        action: `sync.${end.outcome}`,
        details: { run_id: run.runId, ...error, ...counts },
      },
      now,
    );
  })();
}
