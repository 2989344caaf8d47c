import type { BatchOverview, Input, LineQuery, LineRow, LineStatus } from '@shared/contract';
import type { ErrorInfo } from '@shared/errors';
import { create } from 'zustand';
import { call, errorInfo } from '../ipc';
import { appActions } from './app';
import { history } from './history';

/** Lines fetched per request; the grid asks for the pages around what is on screen. */
export const PAGE_SIZE = 200;
/** Pages kept in memory: enough for fast scrolling back and forth, bounded for a 100,000-line batch. */
const MAX_PAGES = 24;

export type SortColumn = LineQuery['sort']['column'];

export interface ReviewFilter {
  status: LineStatus | '';
  code: string;
  search: string;
}

export interface ReviewMessage {
  key: string;
  params: Record<string, string | number>;
  ok: boolean;
  at: number;
}

interface ReviewState {
  batchId: number | null;
  /** This opening of the grid: main writes one access entry per batch and visit (and per order shown in the panel). */
  visit: string;
  filter: ReviewFilter;
  sort: LineQuery['sort'];
  /** Bumped whenever the query changes, so late answers to an older query are dropped. */
  generation: number;
  total: number | null;
  pages: Record<number, LineRow[]>;
  overview: BatchOverview | null;
  error: ErrorInfo | null;
  /** The outcome of the last edit, shown as a toast and announced to screen readers; at tells two alike apart. */
  message: ReviewMessage | null;
}

/** A random id for a visit (getRandomValues: randomUUID needs a secure context, which the test harness's origin is not). */
function newVisit(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
}

const useReviewStore = create<ReviewState>()(() => ({
  batchId: null,
  visit: newVisit(),
  filter: { status: '', code: '', search: '' },
  sort: { column: 'row', direction: 'asc' },
  generation: 0,
  total: null,
  pages: {},
  overview: null,
  error: null,
  message: null,
}));

const inFlight = new Set<string>();
/** Pages by last use, oldest first. */
const recent: number[] = [];

function touch(page: number): void {
  const at = recent.indexOf(page);
  if (at >= 0) recent.splice(at, 1);
  recent.push(page);
}

function query(page: number, withTotal: boolean): LineQuery {
  const s = useReviewStore.getState();
  return {
    batchId: s.batchId ?? 0,
    ...(s.filter.status ? { status: s.filter.status } : {}),
    ...(s.filter.code ? { code: s.filter.code } : {}),
    ...(s.filter.search.trim() ? { search: s.filter.search.trim() } : {}),
    sort: s.sort,
    offset: page * PAGE_SIZE,
    limit: PAGE_SIZE,
    withTotal,
    visit: s.visit,
  };
}

/** Loads one page; the count is asked only when a query starts or is reloaded, not for every page while scrolling. */
async function loadPage(page: number, withTotal = false): Promise<void> {
  const { batchId, generation } = useReviewStore.getState();
  if (batchId === null) return;
  const key = `${generation}:${page}`;
  if (inFlight.has(key)) return;
  inFlight.add(key);
  try {
    const result = await call('queryLines', query(page, withTotal));
    if (useReviewStore.getState().generation !== generation) return;
    touch(page);
    useReviewStore.setState((s) => {
      const pages = { ...s.pages, [page]: result.rows };
      // Forget the pages used longest ago once more than MAX_PAGES are held.
      const keep = new Set(recent.slice(-MAX_PAGES));
      for (const held of Object.keys(pages).map(Number)) if (!keep.has(held)) delete pages[held];
      return { pages, total: result.total ?? s.total, error: null };
    });
  } catch (error) {
    useReviewStore.setState({ error: errorInfo(error) });
  } finally {
    inFlight.delete(key);
  }
}

async function loadOverview(): Promise<void> {
  const { batchId } = useReviewStore.getState();
  if (batchId === null) return;
  try {
    const overview = await call('batchOverview', { batchId });
    if (useReviewStore.getState().batchId === batchId) useReviewStore.setState({ overview });
  } catch (error) {
    useReviewStore.setState({ error: errorInfo(error) });
  }
}

/** Starts a new query (batch, filter or sort changed): drops cached pages and loads the first one. */
function restart(patch: Partial<ReviewState>): Promise<void> {
  recent.length = 0;
  useReviewStore.setState((s) => ({ ...patch, generation: s.generation + 1, pages: {}, total: null }));
  return loadPage(0, true);
}

/** Reloads the pages on screen after a change, keeping the scroll position. */
function reloadVisible(pages: number[]): Promise<void> {
  recent.length = 0;
  useReviewStore.setState((s) => ({ generation: s.generation + 1 }));
  return Promise.all([...pages.map((page, i) => loadPage(page, i === 0)), loadOverview(), appActions.refreshBatches()]).then(
    () => undefined,
  );
}

function heldPages(): number[] {
  const held = Object.keys(useReviewStore.getState().pages).map(Number);
  return held.length ? held : [0];
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;

export const useReviewBatchId = () => useReviewStore((s) => s.batchId);
export const useReviewFilter = () => useReviewStore((s) => s.filter);
export const useReviewSort = () => useReviewStore((s) => s.sort);
export const useReviewTotal = () => useReviewStore((s) => s.total);
export const useReviewPages = () => useReviewStore((s) => s.pages);
export const useReviewOverview = () => useReviewStore((s) => s.overview);
export const useReviewError = () => useReviewStore((s) => s.error);
export const useReviewMessage = () => useReviewStore((s) => s.message);

export const reviewActions = {
  /** Shows a batch; coming back to the one already shown reloads what is held (a sync may have run meanwhile). */
  open(batchId: number): Promise<void> {
    // Each opening of the screen is a visit of its own (recorded once by main).
    useReviewStore.setState({ visit: newVisit() });
    if (useReviewStore.getState().batchId === batchId) {
      reviewActions.refreshLoaded();
      return Promise.resolve();
    }
    const done = restart({ batchId, overview: null, message: null, error: null });
    void loadOverview();
    return done;
  },
  /** Makes sure the pages holding rows first..last are loaded (called as the grid scrolls). */
  ensureRows(first: number, last: number): void {
    const { pages } = useReviewStore.getState();
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page += 1) {
      if (!pages[page]) void loadPage(page);
      else touch(page);
    }
  },
  setFilter(patch: Partial<ReviewFilter>): void {
    const filter = { ...useReviewStore.getState().filter, ...patch };
    if (patch.search !== undefined) {
      // Typing in the search box: query once the staff member pauses.
      useReviewStore.setState({ filter });
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => void restart({}), 250);
      return;
    }
    void restart({ filter });
  },
  /** Sets the filter the grid opens with (from the batch list's buttons); the grid queries when it opens. */
  presetFilter(filter: ReviewFilter): void {
    useReviewStore.setState({ filter });
    if (useReviewStore.getState().batchId !== null) void restart({});
  },
  sortBy(column: SortColumn): void {
    const { sort } = useReviewStore.getState();
    const direction = sort.column === column && sort.direction === 'asc' ? 'desc' : 'asc';
    void restart({ sort: { column, direction } });
  },
  async edit(line: LineRow, field: Input<'editField'>['field'], value: string, visiblePages: number[]): Promise<void> {
    const { batchId } = useReviewStore.getState();
    if (batchId === null) return;
    try {
      const result = await call('editField', {
        batchId,
        orderRef: line.orderRef,
        field,
        value,
        ...(line.lineCount > 1 ? { row: line.row } : {}),
      });
      const key = result.valid ? 'review.fixedToast' : 'review.stillInvalidToast';
      useReviewStore.setState({ message: { key, params: { ref: line.orderRef }, ok: result.valid, at: Date.now() }, error: null });
      const row = line.lineCount > 1 ? { row: line.row } : {};
      history.record(batchId, [{ orderRef: line.orderRef, ...row, field, before: line.fields[field] ?? '', after: value }]);
    } catch (error) {
      useReviewStore.setState({ error: errorInfo(error) });
    }
    // The side panel knows no pages: reload every page held.
    await reloadVisible(visiblePages.length ? visiblePages : heldPages());
  },
  async setExcluded(line: LineRow, excluded: boolean, visiblePages: number[]): Promise<void> {
    const { batchId } = useReviewStore.getState();
    if (batchId === null) return;
    try {
      await call('setExcluded', { batchId, orderRefs: [line.orderRef], excluded });
    } catch (error) {
      useReviewStore.setState({ error: errorInfo(error) });
    }
    await reloadVisible(visiblePages);
  },
  /** Another part of the app changed this batch (a sync): reload the pages held, keeping the scroll position. */
  refreshLoaded(): void {
    if (useReviewStore.getState().batchId === null) return;
    void reloadVisible(heldPages());
  },
  dismissMessage(): void {
    useReviewStore.setState({ message: null });
  },
  say(message: Omit<ReviewMessage, 'at'>): void {
    useReviewStore.setState({ message: { ...message, at: Date.now() }, error: null });
  },
  showError(error: ErrorInfo): void {
    useReviewStore.setState({ error });
  },
  fail(error: unknown): void {
    useReviewStore.setState({ error: errorInfo(error) });
  },
  /** Reloads every page held and the summary, after a change made elsewhere in the screen (a bulk edit). */
  reloadHeld(): Promise<void> {
    return reloadVisible(heldPages());
  },
  /** The line at a grid index if its page is held (read when needed, so callers need not re-render on every page). */
  lineAt(index: number): LineRow | undefined {
    return useReviewStore.getState().pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
  },
  /** Every line of one order for the side panel, from main (which records the detail view once per visit). */
  async order(batchId: number, orderRef: string): Promise<LineRow[] | null> {
    try {
      return (await call('orderDetail', { batchId, orderRef, visit: useReviewStore.getState().visit })).lines;
    } catch {
      return null;
    }
  },
  current(): { batchId: number | null; filter: ReviewFilter } {
    const { batchId, filter } = useReviewStore.getState();
    return { batchId, filter };
  },
};
