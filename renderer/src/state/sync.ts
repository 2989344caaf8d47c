import type { SyncProgress } from '@shared/contract';
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

function apply(progress: SyncProgress): void {
  useSyncStore.setState((state) => ({
    progress,
    running: progress.state !== 'finished' && progress.state !== 'cancelled',
    history: [...state.history, progress.services.notifications.rate_per_second].slice(-60),
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
  /** Loads the current status and follows progress events; returns the unsubscribe function. */
  follow(): () => void {
    void run(async () => {
      const status = await call('getSyncStatus');
      useSyncStore.setState({ running: status.running });
      if (status.progress) apply(status.progress);
    });
    return subscribe('syncProgress', apply);
  },
  start: (batchIds: number[], retryFailed = false) =>
    run(async () => {
      useSyncStore.setState({ history: [] });
      await call('startSync', { batchIds, ...(retryFailed ? { retryFailed } : {}) });
      useSyncStore.setState({ running: true });
    }),
  pause: () => run(() => call('pauseSync')),
  resume: () => run(() => call('resumeSync')),
  cancel: () => run(() => call('cancelSync')),
};
