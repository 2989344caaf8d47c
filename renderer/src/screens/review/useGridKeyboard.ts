import type { KeyboardEvent } from 'react';
import { COLUMNS } from './columns';

export interface Active {
  row: number;
  col: number;
}

interface GridKeys {
  active: Active;
  total: number;
  /** A cell editor is open: it handles its own keys. */
  editing: boolean;
  /** Rows in one screenful, for PageUp/PageDown. */
  pageRows: () => number;
  /** Moves the active cell; with extend (Shift) the selection grows from its anchor instead of following. */
  move: (row: number, col: number, extend?: boolean) => void;
  /** Ctrl+D: the top row of the selection copied down into the rows below it. */
  fillDown: () => void;
  /** Ctrl+Z, and Ctrl+Y or Ctrl+Shift+Z. */
  undo: (redo: boolean) => void;
  startEdit: (row: number, col: number) => void;
  /** Enter on the actions column: exclude or include the row's order. */
  activate: (row: number) => void;
}

/**
 * The grid's keyboard, as in a spreadsheet: arrows, PageUp/PageDown, Home/End (with Ctrl: first/last row),
 * Enter or F2 to edit the active cell (Enter on the actions column excludes/includes the order); Shift with a
 * move selects a range, Ctrl+D fills down, Ctrl+Z / Ctrl+Y undo and redo (copy and paste are clipboard events).
 */
export function useGridKeyboard(keys: GridKeys): (event: KeyboardEvent) => void {
  return (event) => {
    const { active, total } = keys;
    const move = (row: number, col: number) => keys.move(row, col, event.shiftKey);
    if (keys.editing) return;
    const ctrl = event.ctrlKey || event.metaKey;
    if (ctrl && !event.altKey && ['d', 'z', 'y'].includes(event.key.toLowerCase())) {
      event.preventDefault();
      const key = event.key.toLowerCase();
      if (key === 'd') keys.fillDown();
      else keys.undo(key === 'y' || event.shiftKey);
      return;
    }
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        move(active.row + 1, active.col);
        break;
      case 'ArrowUp':
        move(active.row - 1, active.col);
        break;
      case 'ArrowRight':
        move(active.row, active.col + 1);
        break;
      case 'ArrowLeft':
        move(active.row, active.col - 1);
        break;
      case 'PageDown':
        move(active.row + keys.pageRows(), active.col);
        break;
      case 'PageUp':
        move(active.row - keys.pageRows(), active.col);
        break;
      case 'Home':
        move(event.ctrlKey ? 0 : active.row, 0);
        break;
      case 'End':
        move(event.ctrlKey ? total - 1 : active.row, COLUMNS.length - 1);
        break;
      case 'Enter':
      case 'F2':
        if (event.key === 'Enter' && COLUMNS[active.col]?.key === 'actions') keys.activate(active.row);
        else keys.startEdit(active.row, active.col);
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  };
}
