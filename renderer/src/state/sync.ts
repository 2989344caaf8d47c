import type { SyncFailure, SyncProgress } from '@shared/contract';
import type { ErrorInfo } from '@shared/errors';
import { create } from 'zustand';
import { call, errorInfo, subscribe } from '../ipc';

interface SyncState {
  progress: SyncProgress | null;
  running: boolean;
  error: ErrorInfo | null;
  /** Recent notification rates, for the small live chart. */
  history: number[];
}

const useSyncStore = create<SyncState>()(() => ({ progress: null, running: false, error: null, history: [] }));

const ENDED: readonly SyncProgress['state'][] = ['finished', 'cancelled', 'failed'];

function apply(progress: SyncProgress): void {
  useSyncStore.setState((state) => ({
    progress,
    running: !ENDED.includes(progress.state),
    history: [...state.history, progress.services.notifications.rate_per_second].slice(-60),
  }));
}

/** The run ended in an error: show why, and leave running / cancelling (the run is closed in main's record). */
function failed(failure: SyncFailure): void {
  useSyncStore.setState((state) => ({
    running: false,
    error: failure.error,
    progress: state.progress && !ENDED.includes(state.progress.state) ? { ...state.progress, state: 'failed' } : state.progress,
  }));
}

async function run(action: () => Promise<unknown>): Promise<void> {
  try {
    useSyncStore.setState({ error: null });
    await action();
  } catch (error) {
    useSyncStore.setState({ error: errorInfo(error) });
  }
}

export const useSyncProgress = () => useSyncStore((s) => s.progress);
export const useSyncRunning = () => useSyncStore((s) => s.running);
export const useSyncError = () => useSyncStore((s) => s.error);
export const useRateHistory = () => useSyncStore((s) => s.history);

export const syncActions = {
  /** Loads the current status and follows progress and failure events; returns the unsubscribe function. */
  follow(): () => void {
    void run(async () => {
      const status = await call('getSyncStatus');
      useSyncStore.setState({ running: status.running });
      if (status.progress) apply(status.progress);
      if (status.failure) failed(status.failure);
    });
    const offProgress = subscribe('syncProgress', apply);
    const offFailed = subscribe('syncFailed', failed);
    return () => {
      offProgress();
      offFailed();
    };
  },
  start: (batchIds: number[], retryFailed = false) =>
    run(async () => {
      // Running before the answer: a run refused at once (another process holds the lock) reports its
      // failure as an event that may arrive before this call returns, and must not be overwritten.
      useSyncStore.setState({ history: [], running: true });
      try {
        await call('startSync', { batchIds, ...(retryFailed ? { retryFailed } : {}) });
      } catch (error) {
        useSyncStore.setState({ running: false });
        throw error;
      }
    }),
  pause: () => run(() => call('pauseSync')),
  resume: () => run(() => call('resumeSync')),
  cancel: () => run(() => call('cancelSync')),
};
