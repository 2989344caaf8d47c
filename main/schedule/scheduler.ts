import { Cron } from 'croner';
import { appendAudit } from '../audit/log';
import { AppError, toErrorInfo } from '../shared/errors';
import { isValidSchedule, nextRuns, scheduleParts } from '../shared/schedule';
import { assertBatch } from '../store/batches';
import type { Db } from '../store/database';
import { readSetting, writeSetting } from '../store/settings';
import { defaultFetch, type FetchLike } from '../sync/transport';

/** Batches staff marked ready for unattended sync that still have work left. */
export function readyBatches(db: Db): number[] {
  return (
    db
      .prepare(
        `SELECT DISTINCT b.id FROM batches b JOIN orders o ON o.batch_id = b.id LEFT JOIN sync_state s ON s.order_id = o.id
         WHERE b.status = 'ready' AND o.validation_status = 'valid' AND o.purged_at IS NULL AND (s.state IS NULL OR s.state NOT IN ('done', 'failed', 'needs_review'))
         ORDER BY b.id`,
      )
      .all() as { id: number }[]
  ).map((r) => r.id);
}

export function setBatchReady(db: Db, batchId: number, ready: boolean, actor: string): void {
  db.transaction(() => {
    const changed = db
      .prepare(`UPDATE batches SET status = ? WHERE id = ? AND status IN ('staged', 'ready')`)
      .run(ready ? 'ready' : 'staged', batchId).changes;
    if (changed === 0) assertBatch(db, batchId);
    appendAudit(db, { actor, action: ready ? 'batch.marked_ready' : 'batch.unmarked_ready', batchId });
  })();
}

/** A schedule is one cron expression or several separated by `;` (the picker's times with different minutes). */
export function validateSchedule(expression: string): void {
  if (!isValidSchedule(expression)) throw new AppError('SCHEDULE_INVALID', { expression });
}

/** The schedule's next run after `from` (now by default), as ISO time; null without a schedule or a next time. */
export function nextRunAfter(expression: string | null, from?: Date): string | null {
  if (!expression) return null;
  return nextRuns(expression, 1, from)[0]?.toISOString() ?? null;
}

export type ScheduledRun = (batchIds: number[]) => Promise<void>;

export interface SchedulerOptions {
  db: Db;
  expression: string;
  /** Syncs the given batches; rejects with SYNC_ALREADY_RUNNING when another run holds the store. */
  run: ScheduledRun;
  /** Whether the backend answers now; a due run waits (re-checked every `offlineRetryMs`) until it does. */
  isOnline: () => Promise<boolean>;
  offlineRetryMs?: number;
  now?: () => Date;
  onOutcome?: (outcome: { batches: number[]; error?: string }) => void;
}

/**
 * Runs the unattended sync of ready batches on a cron schedule (croner). A run missed while the app was
 * closed runs once at start; a run never overlaps another (in this process: one at a time; across
 * processes: the store's sync lock); while offline a due run waits and goes when the backend is back.
 */
export class Scheduler {
  private jobs: Cron[] = [];
  private running: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: SchedulerOptions) {
    validateSchedule(options.expression);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Whether a scheduled time passed since the last run (or since the schedule was set). */
  missedRun(): boolean {
    const last = readSetting(this.options.db, 'syncScheduleLastRun', null);
    if (!last) return false;
    const next = nextRunAfter(this.options.expression, new Date(last));
    return next !== null && Date.parse(next) <= this.now().getTime();
  }

  start(): void {
    if (readSetting(this.options.db, 'syncScheduleLastRun', null) === null) {
      writeSetting(this.options.db, 'syncScheduleLastRun', this.now().toISOString());
    }
    if (this.missedRun()) void this.trigger();
    this.jobs = scheduleParts(this.options.expression).map(
      (part) =>
        new Cron(part, { protect: true }, () => {
          void this.trigger();
        }),
    );
  }

  stop(): void {
    this.stopped = true;
    for (const job of this.jobs) job.stop();
    if (this.retry) clearTimeout(this.retry);
  }

  /** Whether a triggered run is under way (or waiting for the backend's answer before it starts). */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Runs now unless a run is already under way. Resolves when this trigger's work is over. */
  trigger(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.runOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runOnce(): Promise<void> {
    const { db } = this.options;
    if (!(await this.options.isOnline())) {
      // Offline: wait for the backend instead of failing; the run happens when it is reachable again.
      if (!this.stopped) {
        this.retry = setTimeout(() => {
          void this.trigger();
        }, this.options.offlineRetryMs ?? 30_000);
      }
      this.options.onOutcome?.({ batches: [], error: 'OFFLINE' });
      return;
    }
    const batches = readyBatches(db);
    writeSetting(db, 'syncScheduleLastRun', this.now().toISOString());
    if (batches.length === 0) {
      this.options.onOutcome?.({ batches });
      return;
    }
    try {
      await this.options.run(batches);
      this.options.onOutcome?.({ batches });
    } catch (error) {
      this.options.onOutcome?.({ batches, error: toErrorInfo(error).code });
    }
  }
}

/** Whether the backend at `url` answers at all (any HTTP status, a redirect too, counts as reachable; none is followed). */
export async function backendReachable(url: string, timeoutMs = 5000, fetch: FetchLike = defaultFetch()): Promise<boolean> {
  try {
    const response = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}
