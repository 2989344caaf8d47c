import { type ErrorInfo, toErrorInfo } from '../shared/errors';
import type { Db } from '../store/database';
import { type PurgeResult, purgeExpired } from '../retention/purge';
import { readSetting } from '../store/settings';

export const DAY_MS = 86_400_000;

export interface RetentionScheduleOptions {
  db: Db;
  /** Recorded as the actor of the purge in the audit log (the OS user running the app). */
  actor: string;
  /** Time between purges (a day). */
  intervalMs?: number;
  /** Wait before the first purge, so the window is up before main spends time on it. */
  firstDelayMs?: number;
  now?: () => Date;
  /** After each purge (counts only). */
  onPurged?: (result: PurgeResult) => void;
  /** A purge that failed (store locked by another process for longer than its busy timeout...): the next one tries again. */
  onError?: (error: ErrorInfo) => void;
}

/**
 * Purges expired personal data while the desktop app runs: once shortly after start, then every day. The
 * retention days are read at each purge, so a change in Settings applies from the next one; with no
 * retention days set nothing is purged. Plain Node (timers only): the Electron shell starts and stops it.
 */
export class RetentionSchedule {
  private timer: NodeJS.Timeout | null = null;
  private readonly intervalMs: number;

  constructor(private readonly options: RetentionScheduleOptions) {
    this.intervalMs = options.intervalMs ?? DAY_MS;
  }

  start(): void {
    if (this.timer) return;
    this.plan(this.options.firstDelayMs ?? 5_000);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One purge now with the saved retention days; null when none are set or the purge failed. */
  runOnce(): PurgeResult | null {
    try {
      const days = readSetting(this.options.db, 'retentionDays', null);
      if (days === null) return null;
      const result = purgeExpired(this.options.db, { days, actor: this.options.actor, now: this.options.now?.() });
      this.options.onPurged?.(result);
      return result;
    } catch (error) {
      const busy = (error as { code?: unknown } | null)?.code === 'SQLITE_BUSY';
      this.options.onError?.(busy ? { code: 'STORE_LOCKED', params: { path: this.options.db.name } } : toErrorInfo(error));
      return null;
    }
  }

  private plan(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.runOnce();
      if (this.timer) this.plan(this.intervalMs);
    }, delayMs);
    // Never what keeps the process alive (the CLI and tests end when their work does).
    this.timer.unref();
  }
}
