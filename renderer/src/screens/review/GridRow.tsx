import type { LineRow } from '@shared/contract';
import type { TFunction } from 'i18next';
import { memo, type ReactNode, useMemo } from 'react';
import { StatusBadge } from '../../components/StatusBadge';
import { COLUMNS, type Column, cellText, EXCLUDABLE } from './columns';
import { type ColumnMessages, columnMessages, NO_MESSAGE } from './messages';

export interface RowActions {
  editChange(value: string): void;
  commit(): void;
  cancel(): void;
  toggleExcluded(line: LineRow): void;
}

interface RowProps {
  index: number;
  start: number;
  line: LineRow | undefined;
  locale: string;
  idPrefix: string;
  /** The active column when the active cell is on this row. */
  activeCol: number | null;
  /** The selected columns of this row as "from-to" (a string keeps the memo cheap), or null. */
  selected: string | null;
  editing: { col: number; value: string } | null;
  actions: RowActions;
  /** Passed down rather than a hook per cell: useTranslation in each of 15 cells x 40 rows costs frames. */
  t: TFunction;
}

export const Row = memo(function Row({ index, start, line, locale, idPrefix, activeCol, selected, editing, actions, t }: RowProps) {
  const [from, to] = selected ? selected.split('-').map(Number) : [-1, -1];
  // The messages of each column, worked out once per row rather than once per cell, and kept while the row shows
  // this line (selecting or activating a cell re-renders the row). Held by the row, not in a cache beside it: a
  // cache keyed by line kept 16 objects and 16 arrays for every line that had scrolled past (~1 MB of heap).
  const messages = useMemo(() => (line ? columnMessages(line, t) : null), [line, t]);
  return (
    <tr
      data-index={index}
      aria-rowindex={index + 2}
      className={`grid-row ${line ? `row-${line.status}` : 'row-loading'}`}
      data-order-ref={line?.orderRef}
      style={{ transform: `translateY(${start}px)` }}
    >
      {/* Cells are plain calls, not components: a component per cell doubled the grid's React fibers (16 a row). */}
      {COLUMNS.map((column, col) =>
        cell({
          // Only the active cell needs an id (aria-activedescendant): 16 ids a row cost attribute writes on every scroll.
          id: activeCol === col ? `${idPrefix}-r${index}-c${col}` : undefined,
          col,
          column,
          line,
          messages: messages?.[col] ?? NO_MESSAGE,
          locale,
          active: activeCol === col,
          selected: col >= (from ?? -1) && col <= (to ?? -1),
          editing: editing?.col === col ? editing.value : null,
          actions,
          t,
        }),
      )}
    </tr>
  );
});

interface CellProps {
  id: string | undefined;
  col: number;
  column: Column;
  line: LineRow | undefined;
  messages: ColumnMessages;
  locale: string;
  active: boolean;
  selected: boolean;
  /** The value being typed when this cell is in edit mode, else null. */
  editing: string | null;
  actions: RowActions;
  t: TFunction;
}

/** One cell of a row (keyed by its column): called by Row, which has the hooks; it has none. */
function cell({ id, col, column, line, messages: { invalid, messages }, locale, active, selected, editing, actions, t }: CellProps) {
  const frozen = column.frozen ? 'frozen' : '';
  if (!line) {
    return (
      <td key={column.key} id={id} data-col={col} aria-colindex={col + 1} className={`cell muted ${frozen}`}>
        {col === 1 ? t('review.loading') : ''}
      </td>
    );
  }
  if (column.key === 'errors') {
    const all = messages;
    return (
      // biome-ignore lint/a11y/useAriaPropsSupportedByRole: inside role=grid a td is a gridcell, which supports aria-selected
      <td
        key={column.key}
        id={id}
        data-col={col}
        aria-colindex={col + 1}
        aria-selected={active || selected}
        title={all.join('\n') || undefined}
        className={`cell cell-errors ${all.length ? 'has-errors' : ''} ${active ? 'cell-active' : ''} ${selected ? 'cell-selected' : ''}`}
      >
        {all[0] ?? ''}
        {all.length > 1 && (
          <span className="more" title={t('review.moreErrors', { count: all.length - 1 })}>
            +{all.length - 1}
          </span>
        )}
      </td>
    );
  }
  let content: ReactNode;
  if (editing !== null) {
    content = (
      <input
        className="cell-input"
        aria-label={t('review.editLabel', { field: t(`fields.${column.key}`), row: line.row })}
        // biome-ignore lint/a11y/noAutofocus: the editor opens on Enter and takes the focus like a spreadsheet cell
        autoFocus
        value={editing}
        onChange={(event) => actions.editChange(event.target.value)}
        onBlur={actions.commit}
        onKeyDown={(event) => {
          event.stopPropagation();
          if (event.key === 'Enter') {
            event.preventDefault();
            actions.commit();
          } else if (event.key === 'Escape') {
            event.preventDefault();
            actions.cancel();
          }
        }}
      />
    );
  } else if (column.key === 'status') {
    content = <StatusBadge t={t} kind="line" status={line.status} />;
  } else if (column.key === 'actions') {
    content =
      EXCLUDABLE.has(line.status) || line.status === 'excluded' ? (
        <button
          type="button"
          tabIndex={-1}
          className="link"
          aria-label={t(line.status === 'excluded' ? 'review.includeLabel' : 'review.excludeLabel', { ref: line.orderRef })}
          onClick={() => actions.toggleExcluded(line)}
        >
          {t(line.status === 'excluded' ? 'review.include' : 'review.exclude')}
        </button>
      ) : null;
  } else {
    content = cellText(line, column, locale);
  }
  return (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: inside role=grid a td is a gridcell, which supports aria-selected
    <td
      key={column.key}
      id={id}
      data-col={col}
      aria-colindex={col + 1}
      aria-selected={active || selected}
      aria-invalid={invalid || undefined}
      title={messages.join('\n') || undefined}
      className={`cell ${frozen} ${column.numeric ? 'num' : ''} ${invalid ? 'cell-invalid' : ''} ${active ? 'cell-active' : ''} ${selected ? 'cell-selected' : ''}`}
    >
      {content}
      {messages.length > 0 && editing === null && <span className="visually-hidden">{messages.join(' ')}</span>}
    </td>
  );
}
