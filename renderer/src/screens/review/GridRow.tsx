import type { LineRow } from '@shared/contract';
import type { TFunction } from 'i18next';
import { memo, type ReactNode } from 'react';
import { StatusBadge } from '../../components/StatusBadge';
import { COLUMNS, type Column, cellText, EXCLUDABLE, ROW_HEIGHT, TEMPLATE } from './columns';
import { issueText } from '@shared/issue-text';

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
  return (
    <tr
      data-index={index}
      aria-rowindex={index + 2}
      className={`grid-row ${line ? `row-${line.status}` : 'row-loading'}`}
      data-order-ref={line?.orderRef}
      style={{ gridTemplateColumns: TEMPLATE, transform: `translateY(${start}px)`, height: ROW_HEIGHT }}
    >
      {COLUMNS.map((column, col) => (
        <Cell
          key={column.key}
          id={`${idPrefix}-r${index}-c${col}`}
          col={col}
          column={column}
          line={line}
          locale={locale}
          active={activeCol === col}
          selected={col >= (from ?? -1) && col <= (to ?? -1)}
          editing={editing?.col === col ? editing.value : null}
          actions={actions}
          t={t}
        />
      ))}
    </tr>
  );
});

interface CellProps {
  id: string;
  col: number;
  column: Column;
  line: LineRow | undefined;
  locale: string;
  active: boolean;
  selected: boolean;
  /** The value being typed when this cell is in edit mode, else null. */
  editing: string | null;
  actions: RowActions;
  t: TFunction;
}

/** Every problem of a line in words: its validation issues, then why sync failed. */
export function lineMessages(line: LineRow, t: TFunction, only?: (field: string) => boolean): string[] {
  const messages = line.issues
    .filter((issue) => !only || only(issue.field))
    // The same wording as the command line and the error export: master values, suggestions, warnings marked.
    .map((issue) => issueText(t, issue));
  if (!only && line.syncError) messages.push(syncMessage(line.syncError, t));
  return messages;
}

function syncMessage(error: NonNullable<LineRow['syncError']>, t: TFunction): string {
  return t(`syncErrors.${error.kind}`, { code: error.code, defaultValue: error.code });
}

function Cell({ id, col, column, line, locale, active, selected, editing, actions, t }: CellProps) {
  const frozen = column.frozen ? 'frozen' : '';
  if (!line) {
    return (
      <td id={id} data-col={col} aria-colindex={col + 1} className={`cell muted ${frozen}`}>
        {col === 1 ? t('review.loading') : ''}
      </td>
    );
  }
  if (column.key === 'errors') {
    const all = lineMessages(line, t);
    return (
      // biome-ignore lint/a11y/useAriaPropsSupportedByRole: inside role=grid a td is a gridcell, which supports aria-selected
      <td
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
  const inColumn = (field: string) => field === column.key || (column.key === 'status' && !COLUMNS.some((c) => c.key === field));
  const issues = line.issues.filter((issue) => inColumn(issue.field));
  const messages = lineMessages(line, t, inColumn);
  if (column.key === 'status' && line.syncError) messages.push(syncMessage(line.syncError, t));
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
      id={id}
      data-col={col}
      aria-colindex={col + 1}
      aria-selected={active || selected}
      aria-invalid={issues.length > 0 || undefined}
      title={messages.join('\n') || undefined}
      className={`cell ${frozen} ${column.numeric ? 'num' : ''} ${issues.length ? 'cell-invalid' : ''} ${active ? 'cell-active' : ''} ${selected ? 'cell-selected' : ''}`}
    >
      {content}
      {messages.length > 0 && editing === null && <span className="visually-hidden">{messages.join(' ')}</span>}
    </td>
  );
}
