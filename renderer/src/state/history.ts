import type { Input } from '@shared/contract';
import { create } from 'zustand';

/** One cell as staff changed it: enough to put the old value back (undo) or the new one again (redo). */
export interface CellChange {
  orderRef: string;
  row?: number;
  field: Input<'editField'>['field'];
  before: string;
  after: string;
}

/** How many changes undo remembers (each may cover thousands of cells). */
const DEPTH = 50;

interface HistoryState {
  batchId: number | null;
  undo: CellChange[][];
  redo: CellChange[][];
}

/**
 * The review grid's undo and redo stacks for this session. The store's edit log (order_edits) records who
 * changed which field when, but by design never a value, so the values to restore live here, in the window.
 */
const useHistoryStore = create<HistoryState>()(() => ({ batchId: null, undo: [], redo: [] }));

export const useCanUndo = () => useHistoryStore((s) => s.undo.length > 0);
export const useCanRedo = () => useHistoryStore((s) => s.redo.length > 0);

export const history = {
  /** A new change: it can be undone, and whatever was undone before can no longer be redone. */
  record(batchId: number, changes: CellChange[]): void {
    if (changes.length === 0) return;
    const s = useHistoryStore.getState();
    const undo = s.batchId === batchId ? s.undo : [];
    useHistoryStore.setState({ batchId, undo: [...undo, changes].slice(-DEPTH), redo: [] });
  },
  takeUndo(batchId: number): CellChange[] | undefined {
    const s = useHistoryStore.getState();
    if (s.batchId !== batchId) return undefined;
    const last = s.undo.at(-1);
    if (last) useHistoryStore.setState({ undo: s.undo.slice(0, -1), redo: [...s.redo, last] });
    return last;
  },
  takeRedo(batchId: number): CellChange[] | undefined {
    const s = useHistoryStore.getState();
    if (s.batchId !== batchId) return undefined;
    const last = s.redo.at(-1);
    if (last) useHistoryStore.setState({ redo: s.redo.slice(0, -1), undo: [...s.undo, last] });
    return last;
  },
};
