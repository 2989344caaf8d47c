import type { SyncProgress } from '../sync/engine';

/** Electron's `setProgressBar` modes (taskbar on Windows, dock on macOS, launcher on Unity). */
export type ProgressMode = 'none' | 'normal' | 'indeterminate' | 'paused' | 'error';

export interface TaskbarProgress {
  /** 0..1; -1 removes the bar; above 1 is indeterminate on Windows. */
  value: number;
  mode: ProgressMode;
}

export const NO_PROGRESS: TaskbarProgress = { value: -1, mode: 'none' };

/** The taskbar / dock progress for a sync: share of orders settled, paused in yellow, failed in red, none when done. */
export function taskbarProgress(
  progress: Pick<SyncProgress, 'state' | 'total' | 'done' | 'failed' | 'needsReview'> | null,
): TaskbarProgress {
  if (!progress) return NO_PROGRESS;
  const settled = progress.total > 0 ? Math.min(1, (progress.done + progress.failed + progress.needsReview) / progress.total) : 0;
  switch (progress.state) {
    case 'finished':
    case 'cancelled':
      return NO_PROGRESS;
    case 'failed':
      return { value: Math.max(settled, 0.01), mode: 'error' };
    case 'paused':
      return { value: Math.max(settled, 0.01), mode: 'paused' };
    default:
      return progress.total > 0 ? { value: settled, mode: 'normal' } : { value: 2, mode: 'indeterminate' };
  }
}

/** A failed run shows red until the next run starts (the failure itself is in the window and the log). */
export function failedProgress(last: Pick<SyncProgress, 'total' | 'done' | 'failed' | 'needsReview'> | null): TaskbarProgress {
  return taskbarProgress(last ? { ...last, state: 'failed' } : { state: 'failed', total: 0, done: 0, failed: 0, needsReview: 0 });
}

/**
 * Keeps the machine awake while a sync sends (a 2.8-hour run must not stop because the PC slept), through
 * Electron's powerSaveBlocker (`prevent-app-suspension`: the display may still turn off). Paused sends
 * nothing, so it lets the machine sleep.
 */
export class WakeLock {
  private id: number | null = null;

  constructor(private readonly blocker: { start(): number; stop(id: number): void }) {}

  update(state: SyncProgress['state'] | null): void {
    const sending = state === 'running' || state === 'cancelling';
    if (sending && this.id === null) this.id = this.blocker.start();
    if (!sending && this.id !== null) {
      this.blocker.stop(this.id);
      this.id = null;
    }
  }

  get held(): boolean {
    return this.id !== null;
  }
}
