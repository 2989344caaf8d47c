import type { Output } from '@shared/contract';
import type { ErrorInfo } from '@shared/errors';
import { create } from 'zustand';
import { call, errorInfo } from '../ipc';

type MasterInfo = Output<'listMasters'>[number];
type MasterOutcome = NonNullable<Output<'importMaster'>['result']>;

interface MastersState {
  lists: MasterInfo[];
  /** The last import's outcome (counts, unreadable rows, what revalidation changed). */
  outcome: MasterOutcome | null;
  busy: boolean;
  error: ErrorInfo | null;
}

const useMastersStore = create<MastersState>()(() => ({ lists: [], outcome: null, busy: false, error: null }));

async function run(action: () => Promise<void>): Promise<void> {
  useMastersStore.setState({ busy: true, error: null });
  try {
    await action();
    useMastersStore.setState({ busy: false });
  } catch (error) {
    useMastersStore.setState({ busy: false, error: errorInfo(error) });
  }
}

async function refresh(): Promise<void> {
  useMastersStore.setState({ lists: await call('listMasters') });
}

export const useMasterLists = () => useMastersStore((s) => s.lists);
export const useMasterOutcome = () => useMastersStore((s) => s.outcome);
export const useMastersBusy = () => useMastersStore((s) => s.busy);
export const useMastersError = () => useMastersStore((s) => s.error);

export const mastersActions = {
  load: () => run(refresh),
  /** Main asks for the file (OS dialog) and replaces the list; nothing happens when staff cancel. */
  importList: (list: MasterInfo['list']) =>
    run(async () => {
      const { result } = await call('importMaster', { list });
      if (result) useMastersStore.setState({ outcome: result });
      await refresh();
    }),
  clear: (list: MasterInfo['list']) =>
    run(async () => {
      await call('clearMaster', { list });
      useMastersStore.setState({ outcome: null });
      await refresh();
    }),
  /**
   * Fix in place for the review grid: applies a suggested SKU or the master price to a line. Main revalidates
   * the order and announces the batch as changed (batchesChanged), so the grid refreshes as after an edit.
   */
  applySuggestion: (input: { batchId: number; orderRef: string; row: number; code: 'UNKNOWN_SKU' | 'PRICE_MISMATCH'; value?: string }) =>
    call('applySuggestion', input),
};
