import type { LineRow, SyncFailure, SyncProgress } from '@shared/contract';
import type { ErrorInfo } from '@shared/errors';
import { create } from 'zustand';
import { call, errorInfo, subscribe } from '../ipc';

/** The ETA staff see: measured while running, held as it was while paused, none once the run ends. */
export interface ShownEta {
  seconds: number | null;
  paused: boolean;
}

/** A batch's orders paid but not notified (what a cancel leaves), a first page of them, and their yen. */
export interface PaidUnnotified {
  batchId: number;
  rows: LineRow[];
  total: number;
  yen: number;
  error: ErrorInfo | null;
}

interface SyncState {
  progress: SyncProgress | null;
  eta: ShownEta | null;
  paid: PaidUnnotified | null;
  running: boolean;
  error: ErrorInfo | null;
  /** Recent notification rates, for the small live chart. */
  history: number[];
  problems: Problems | null;
}

const PROBLEM_STATUSES = ['failed', 'needs_review'] as const;
type ProblemStatus = (typeof PROBLEM_STATUSES)[number];
/** Lines per status fetched at a time. */
export const PROBLEM_PAGE = 200;

/** A batch's failed and needs-review orders, a page at a time, and how many there are in all. */
export interface Problems {
  batchId: number;
  /** One row per order (its first line carries the order's outcome). */
  rows: LineRow[];
  /** Failed and needs-review orders of the batch. */
  total: number;
  /** Lines fetched so far, and lines there are, per status. */
  fetched: Record<ProblemStatus, number>;
  lines: Record<ProblemStatus, number>;
  error: ErrorInfo | null;
}

const useSyncStore = create<SyncState>()(() => ({
  progress: null,
  eta: null,
  paid: null,
  running: false,
  error: null,
  history: [],
  problems: null,
}));

/** A run over all of a batch's work, its failed orders again, or only the notifications of paid orders. */
export interface RunScope {
  retryFailed?: boolean;
  notifyOnly?: boolean;
}

const ENDED: readonly SyncProgress['state'][] = ['finished', 'cancelled', 'failed'];

/** Running: the measured ETA. Paused: the one shown before the pause, not counting down. Ended: none. */
export function nextEta(before: ShownEta | null, progress: SyncProgress): ShownEta | null {
  if (progress.state === 'running') return { seconds: progress.etaS, paused: false };
  if (progress.state === 'paused') return { seconds: before ? before.seconds : progress.etaS, paused: true };
  return null;
}

function apply(progress: SyncProgress): void {
  useSyncStore.setState((state) => ({
    progress,
    eta: nextEta(state.eta, progress),
    running: !ENDED.includes(progress.state),
    history: [...state.history, progress.services.notifications.rate_per_second].slice(-60),
  }));
}

/** The run ended in an error: show why, and leave running / cancelling (the run is closed in main's record). */
function failed(failure: SyncFailure): void {
  useSyncStore.setState((state) => ({
    running: false,
    error: failure.error,
    eta: null,
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
export const useSyncProblems = () => useSyncStore((s) => s.problems);
export const useShownEta = () => useSyncStore((s) => s.eta);
export const usePaidUnnotified = () => useSyncStore((s) => s.paid);

/** One load at a time per list: a request during a load asks for one more after it, with the latest arguments. */
const reloading: Record<'problems' | 'paid', { busy: boolean; next: (() => Promise<void>) | null }> = {
  problems: { busy: false, next: null },
  paid: { busy: false, next: null },
};
async function throttled(which: keyof typeof reloading, load: () => Promise<void>): Promise<void> {
  const slot = reloading[which];
  slot.next = load;
  if (slot.busy) return;
  slot.busy = true;
  try {
    while (slot.next) {
      const current = slot.next;
      slot.next = null;
      await current();
    }
  } finally {
    slot.busy = false;
  }
}

async function loadPaid(batchId: number): Promise<void> {
  try {
    const [overview, page] = await Promise.all([
      call('batchOverview', { batchId }),
      call('queryLines', {
        batchId,
        status: 'paid_unnotified',
        sort: { column: 'order_ref', direction: 'asc' },
        offset: 0,
        limit: PROBLEM_PAGE,
      }),
    ]);
    const counts = overview.statuses.find((s) => s.status === 'paid_unnotified');
    useSyncStore.setState({
      paid: {
        batchId,
        rows: page.rows.filter((row) => row.lineNo === 1),
        total: counts?.orders ?? 0,
        yen: counts?.yen ?? 0,
        error: null,
      },
    });
  } catch (error) {
    useSyncStore.setState({ paid: { batchId, rows: [], total: 0, yen: 0, error: errorInfo(error) } });
  }
}

/** The next page of each status that has more, added to what is shown (a new batch starts again). */
async function loadProblems(batchId: number, more: boolean): Promise<void> {
  const before = useSyncStore.getState().problems;
  const kept = more && before?.batchId === batchId ? before : null;
  try {
    const [overview, ...pages] = await Promise.all([
      call('batchOverview', { batchId }),
      ...PROBLEM_STATUSES.map((status) =>
        kept && kept.fetched[status] >= kept.lines[status]
          ? null
          : call('queryLines', {
              batchId,
              status,
              sort: { column: 'order_ref', direction: 'asc' },
              offset: kept?.fetched[status] ?? 0,
              limit: PROBLEM_PAGE,
            }),
      ),
    ]);
    const fetched = { failed: 0, needs_review: 0 };
    const lines = { failed: 0, needs_review: 0 };
    const rows = [...(kept?.rows ?? [])];
    PROBLEM_STATUSES.forEach((status, i) => {
      const page = pages[i];
      fetched[status] = (kept?.fetched[status] ?? 0) + (page?.rows.length ?? 0);
      lines[status] = page?.total ?? kept?.lines[status] ?? 0;
      if (page) rows.push(...page.rows.filter((row) => row.lineNo === 1));
    });
    const total = overview.statuses.filter((s) => s.status === 'failed' || s.status === 'needs_review').reduce((n, s) => n + s.orders, 0);
    useSyncStore.setState({ problems: { batchId, rows, total, fetched, lines, error: null } });
  } catch (error) {
    useSyncStore.setState({
      problems: {
        ...(kept ?? { batchId, rows: [], total: 0, fetched: { failed: 0, needs_review: 0 }, lines: { failed: 0, needs_review: 0 } }),
        error: errorInfo(error),
      },
    });
  }
}

/** Whether more failed or needs-review lines are there to fetch. */
export function hasMoreProblems(problems: Problems): boolean {
  return PROBLEM_STATUSES.some((status) => problems.fetched[status] < problems.lines[status]);
}

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
  start: (batchIds: number[], options: RunScope = {}) =>
    run(async () => {
      // Running before the answer: a run refused at once (another process holds the lock) reports its
      // failure as an event that may arrive before this call returns, and must not be overwritten.
      useSyncStore.setState({ history: [], running: true });
      try {
        await call('startSync', { batchIds, ...options });
      } catch (error) {
        useSyncStore.setState({ running: false });
        throw error;
      }
    }),
  pause: () => run(() => call('pauseSync')),
  resume: () => run(() => call('resumeSync')),
  cancel: () => run(() => call('cancelSync')),
  /** The batch's failed and needs-review orders, first page (again); one load at a time. */
  loadProblems: (batchId: number) => throttled('problems', () => loadProblems(batchId, false)),
  /** The batch's orders paid but not notified (after a cancel). */
  loadPaid: (batchId: number) => throttled('paid', () => loadPaid(batchId)),
  /** What a run would take on, for the confirmation before a production backend. */
  preview: (batchIds: number[], options: RunScope = {}) => call('previewSync', { batchIds, ...options }),
  /** Shows an error of an action taken outside run() (e.g. the preview before a start). */
  showError: (error: unknown) => useSyncStore.setState({ error: errorInfo(error) }),
  /** The next page of them. */
  moreProblems: (batchId: number) => loadProblems(batchId, true),
};
