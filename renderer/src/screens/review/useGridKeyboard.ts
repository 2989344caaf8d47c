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
  move: (row: number, col: number) => void;
  startEdit: (row: number, col: number) => void;
  /** Enter on the actions column: exclude or include the row's order. */
  activate: (row: number) => void;
}

/**
 * The grid's keyboard, as in a spreadsheet: arrows, PageUp/PageDown, Home/End (with Ctrl: first/last row),
 * Enter or F2 to edit the active cell (Enter on the actions column excludes/includes the order).
 */
export function useGridKeyboard(keys: GridKeys): (event: KeyboardEvent) => void {
  return (event) => {
    const { active, total, move } = keys;
    if (keys.editing) return;
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
