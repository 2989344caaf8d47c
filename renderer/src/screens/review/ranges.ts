import type { LineRow } from '@shared/contract';
import type { CellChange } from '../../state/history';
import { COLUMNS, canEdit } from './columns';

/** A rectangle of cells: rows r1..r2 and columns c1..c2, inclusive. */
export interface Range {
  r1: number;
  r2: number;
  c1: number;
  c2: number;
}

export function rangeOf(a: { row: number; col: number }, b: { row: number; col: number }): Range {
  return { r1: Math.min(a.row, b.row), r2: Math.max(a.row, b.row), c1: Math.min(a.col, b.col), c2: Math.max(a.col, b.col) };
}

type LineAt = (row: number) => LineRow | undefined;

/** A cell staff may change: an editable column of an order that has not gone to the backend. */
function editable(line: LineRow | undefined, col: number): { line: LineRow; field: NonNullable<(typeof COLUMNS)[number]['field']> } | null {
  const field = COLUMNS[col]?.field;
  return line && field && canEdit(line, field) ? { line, field } : null;
}

function change(line: LineRow, field: CellChange['field'], after: string): CellChange {
  return { orderRef: line.orderRef, ...(line.lineCount > 1 ? { row: line.row } : {}), field, before: line.fields[field] ?? '', after };
}

/** The cells of a range as text, the way the grid shows them (what Excel should receive on copy). */
export function copyMatrix(range: Range, lineAt: LineAt, shown: (line: LineRow, col: number) => string): string[][] {
  const rows: string[][] = [];
  for (let r = range.r1; r <= range.r2; r += 1) {
    const line = lineAt(r);
    const row: string[] = [];
    for (let c = range.c1; c <= range.c2; c += 1) {
      const column = COLUMNS[c];
      // Editable cells as stored (they paste back unchanged); the rest as shown.
      row.push(!line || !column ? '' : column.field ? (line.fields[column.key] ?? '') : shown(line, c));
    }
    rows.push(row);
  }
  return rows;
}

/** Ctrl+D: each column's top cell copied into the cells below it in the range. */
export function fillDown(range: Range, lineAt: LineAt): CellChange[] {
  const changes: CellChange[] = [];
  for (let c = range.c1; c <= range.c2; c += 1) {
    const top = lineAt(range.r1);
    const field = COLUMNS[c]?.field;
    if (!top || !field) continue;
    const value = top.fields[field] ?? '';
    for (let r = range.r1 + 1; r <= range.r2; r += 1) {
      const cell = editable(lineAt(r), c);
      if (cell) changes.push(change(cell.line, cell.field, value));
    }
  }
  return changes;
}

/** A pasted block laid out from the active cell; cells that are not editable are counted as skipped. */
export function pasteAt(
  start: { row: number; col: number },
  block: string[][],
  lineAt: LineAt,
): { changes: CellChange[]; skipped: number } {
  const changes: CellChange[] = [];
  let skipped = 0;
  block.forEach((values, i) => {
    values.forEach((value, j) => {
      const cell = editable(lineAt(start.row + i), start.col + j);
      if (cell) changes.push(change(cell.line, cell.field, value));
      else skipped += 1;
    });
  });
  return { changes, skipped };
}

/** Every given row's field set to one value ("set field to…" for the selection). */
export function setField(rows: readonly number[], field: CellChange['field'], value: string, lineAt: LineAt): CellChange[] {
  const col = COLUMNS.findIndex((c) => c.field === field);
  return rows.flatMap((r) => {
    const cell = editable(lineAt(r), col);
    return cell ? [change(cell.line, cell.field, value)] : [];
  });
}
