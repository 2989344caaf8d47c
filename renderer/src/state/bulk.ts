import type { Input, MatchOutcome } from '@shared/contract';
import { ORDER_FIELDS } from '@shared/fields';
import { call } from '../ipc';
import { type CellChange, history } from './history';
import { reviewActions } from './review';

type Field = CellChange['field'];
export type BulkKind = Input<'editMany'>['kind'];

/** Order-level fields are one value per order: shown on each of its lines, changed once. */
const IS_ORDER_FIELD: ReadonlySet<string> = new Set(ORDER_FIELDS);

/** Drops changes that would not change anything, and repeats of an order field for the same order. */
function distinct(changes: CellChange[]): CellChange[] {
  const seen = new Set<string>();
  return changes.filter((c) => {
    const key = IS_ORDER_FIELD.has(c.field) ? `${c.orderRef}\u0000${c.field}` : `${c.orderRef}\u0000${c.row ?? ''}\u0000${c.field}`;
    if (c.before === c.after || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function send(batchId: number, kind: BulkKind, changes: CellChange[], value: (c: CellChange) => string) {
  const edits = changes.map((c) => ({
    orderRef: c.orderRef,
    ...(c.row === undefined ? {} : { row: c.row }),
    field: c.field,
    value: value(c),
  }));
  return call('editMany', { batchId, kind, edits });
}

/** The lines under the grid's filter whose field contains `find` ('' = all of them). */
function match(batchId: number, field: Field, find: string): Promise<MatchOutcome> {
  const { filter } = reviewActions.current();
  return call('matchField', {
    batchId,
    field,
    find,
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.code ? { code: filter.code } : {}),
    ...(filter.search.trim() ? { search: filter.search.trim() } : {}),
  });
}

const rowOf = (line: { row: number; lineCount: number }) => (line.lineCount > 1 ? { row: line.row } : {});

export const bulkActions = {
  /** Applies a spreadsheet-style change (set, fill-down, paste, replace) as one operation; it can be undone. */
  async apply(kind: BulkKind, changes: CellChange[]): Promise<void> {
    const { batchId } = reviewActions.current();
    const todo = distinct(changes);
    if (batchId === null) return;
    if (todo.length === 0) {
      reviewActions.say({ key: 'review.bulk.nothing', params: {}, ok: false });
      return;
    }
    try {
      const result = await send(batchId, kind, todo, (c) => c.after);
      const refused = new Set(result.refused.map((r) => `${r.orderRef}\u0000${r.row ?? ''}`));
      history.record(
        batchId,
        todo.filter((c) => !refused.has(`${c.orderRef}\u0000${c.row ?? ''}`) && !refused.has(`${c.orderRef}\u0000`)),
      );
      reviewActions.say({
        key: result.refused.length ? 'review.bulk.doneRefused' : 'review.bulk.done',
        params: {
          count: result.applied,
          cells: result.applied,
          orders: result.orders,
          valid: result.valid,
          refused: result.refused.length,
        },
        ok: result.refused.length === 0 && result.valid === result.orders,
      });
    } catch (error) {
      reviewActions.fail(error);
    }
    await reviewActions.reloadHeld();
  },
  async undo(redo = false): Promise<void> {
    const { batchId } = reviewActions.current();
    if (batchId === null) return;
    const changes = redo ? history.takeRedo(batchId) : history.takeUndo(batchId);
    if (!changes) return;
    try {
      const result = await send(batchId, redo ? 'redo' : 'undo', changes, (c) => (redo ? c.after : c.before));
      reviewActions.say({
        key: redo ? 'review.bulk.redone' : 'review.bulk.undone',
        params: { count: result.applied, cells: result.applied },
        ok: true,
      });
    } catch (error) {
      reviewActions.fail(error);
    }
    await reviewActions.reloadHeld();
  },
  /** How many cells of a field under the filter contain `find`: find & replace's preview. */
  async count(field: Field, find: string): Promise<number> {
    const { batchId } = reviewActions.current();
    if (batchId === null || find === '') return 0;
    return (await match(batchId, field, find)).total;
  },
  async replace(field: Field, find: string, replacement: string): Promise<void> {
    const { batchId } = reviewActions.current();
    if (batchId === null || find === '') return;
    const found = await match(batchId, field, find);
    const changes = found.lines.map((line) => ({
      orderRef: line.orderRef,
      ...rowOf(line),
      field,
      before: line.value,
      after: line.value.split(find).join(replacement),
    }));
    await bulkActions.apply('replace', changes);
  },
  /** Sets a field on every line the grid's filter shows (not only the rows loaded on screen). */
  async setForFilter(field: Field, value: string): Promise<void> {
    const { batchId } = reviewActions.current();
    if (batchId === null) return;
    const found = await match(batchId, field, '');
    await bulkActions.apply(
      'set',
      found.lines.map((line) => ({ orderRef: line.orderRef, ...rowOf(line), field, before: line.value, after: value })),
    );
  },
};
