import type { Input, LineRow, LineStatus } from '@shared/contract';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, memo, type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../components/ErrorMessage';
import { StatusBadge } from '../components/StatusBadge';
import { formatCount, formatYen } from '../i18n';
import { appActions, useBatches, useCurrentBatch, useLocale } from '../state/app';
import {
  PAGE_SIZE,
  reviewActions,
  type SortColumn,
  useReviewError,
  useReviewFilter,
  useReviewMessage,
  useReviewOverview,
  useReviewPages,
  useReviewSort,
  useReviewTotal,
} from '../state/review';

type EditableField = Input<'editField'>['field'];

interface Column {
  key: string;
  /** The field edited in this column, if staff may edit it. */
  field?: EditableField;
  sort?: SortColumn;
  width: number;
  numeric?: boolean;
}

const COLUMNS: readonly Column[] = [
  { key: 'row', sort: 'row', width: 64, numeric: true },
  { key: 'order_ref', sort: 'order_ref', width: 160 },
  { key: 'status', sort: 'status', width: 110 },
  { key: 'customer_id', field: 'customer_id', sort: 'customer_id', width: 110 },
  { key: 'customer_name', field: 'customer_name', sort: 'customer_name', width: 180 },
  { key: 'email', field: 'email', width: 210 },
  { key: 'sku', field: 'sku', sort: 'sku', width: 110 },
  { key: 'quantity', field: 'quantity', sort: 'quantity', width: 80, numeric: true },
  { key: 'unit_price', field: 'unit_price', sort: 'unit_price', width: 100, numeric: true },
  { key: 'total_amount', sort: 'total_amount', width: 120, numeric: true },
  { key: 'card_token', field: 'card_token', width: 140 },
  { key: 'shipping_address', field: 'shipping_address', width: 260 },
  { key: 'delivery_date', field: 'delivery_date', width: 120 },
  { key: 'notes', field: 'notes', width: 160 },
  { key: 'actions', width: 90 },
];
const TEMPLATE = COLUMNS.map((c) => `${c.width}px`).join(' ');
const ROW_HEIGHT = 34;
const STATUSES: readonly LineStatus[] = ['valid', 'invalid', 'excluded', 'syncing', 'synced', 'failed', 'needs_review'];
const EXCLUDABLE = new Set<LineStatus>(['valid', 'invalid', 'pending']);

const TITLES: Record<string, string> = { row: 'review.rowCol', status: 'review.status', actions: 'review.actions' };

function columnTitle(column: Column, t: TFunction): string {
  return t(TITLES[column.key] ?? `fields.${column.key}`);
}

function cellText(line: LineRow, column: Column, locale: string): string {
  if (column.key === 'row') return String(line.row);
  if (column.key === 'order_ref') return line.lineCount > 1 ? `${line.orderRef} (${line.lineNo}/${line.lineCount})` : line.orderRef;
  if (column.key === 'total_amount') return line.lineNo === 1 && line.totalAmount !== null ? formatYen(line.totalAmount, locale) : '';
  return line.fields[column.key] ?? '';
}

function Summary() {
  const { t } = useTranslation();
  const locale = useLocale();
  const overview = useReviewOverview();
  if (!overview) return null;
  return (
    <ul className="summary" aria-label={t('review.summary')} data-testid="review-summary">
      {overview.statuses.map((s) => (
        <li key={s.status} className={`summary-item status-${s.status}`}>
          <StatusBadge t={t} kind="line" status={s.status} />
          <span>{t('review.countYen', { count: s.orders, orders: formatCount(s.orders, locale), yen: formatYen(s.yen, locale) })}</span>
          <span className="muted small">{t('review.lines', { count: s.lines, formatted: formatCount(s.lines, locale) })}</span>
        </li>
      ))}
    </ul>
  );
}

interface Active {
  row: number;
  col: number;
}

function Grid({ batchId }: { batchId: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const total = useReviewTotal() ?? 0;
  const pages = useReviewPages();
  const sort = useReviewSort();
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridId = useId();
  const [active, setActive] = useState<Active>({ row: 0, col: 1 });
  const [editing, setEditing] = useState<{ row: number; col: number; value: string } | null>(null);
  const committed = useRef(false);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    // Let React batch the re-render a scroll causes instead of rendering synchronously inside the scroll event.
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  useEffect(() => {
    // Half a page ahead and behind: the next page is usually there before its rows scroll into view.
    if (total > 0) reviewActions.ensureRows(Math.max(0, first - PAGE_SIZE / 2), Math.min(total - 1, last + PAGE_SIZE / 2));
  }, [first, last, total]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new batch starts at the top
  useEffect(() => {
    setActive({ row: 0, col: 1 });
    setEditing(null);
    virtualizer.scrollToOffset(0);
  }, [batchId, virtualizer]);

  const lineAt = (index: number): LineRow | undefined => pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
  const visiblePages = () => [...new Set(items.map((item) => Math.floor(item.index / PAGE_SIZE)))];

  const move = (row: number, col: number) => {
    const next = { row: Math.max(0, Math.min(total - 1, row)), col: Math.max(0, Math.min(COLUMNS.length - 1, col)) };
    setActive(next);
    virtualizer.scrollToIndex(next.row, { align: 'auto' });
  };

  const startEdit = (row: number, col: number) => {
    const line = lineAt(row);
    const column = COLUMNS[col];
    if (!line || !column?.field || !EXCLUDABLE.has(line.status)) return;
    committed.current = false;
    setEditing({ row, col, value: line.fields[column.key] ?? '' });
  };

  const commit = () => {
    if (!editing || committed.current) return;
    committed.current = true;
    const line = lineAt(editing.row);
    const field = COLUMNS[editing.col]?.field;
    setEditing(null);
    scrollRef.current?.querySelector<HTMLElement>('table')?.focus();
    if (line && field && (line.fields[field] ?? '') !== editing.value) void reviewActions.edit(line, field, editing.value, visiblePages());
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (editing) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const key = event.key;
    let handled = true;
    switch (key) {
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
        move(active.row + page, active.col);
        break;
      case 'PageUp':
        move(active.row - page, active.col);
        break;
      case 'Home':
        move(event.ctrlKey ? 0 : active.row, 0);
        break;
      case 'End':
        move(event.ctrlKey ? total - 1 : active.row, COLUMNS.length - 1);
        break;
      case 'Enter':
      case 'F2': {
        const line = lineAt(active.row);
        if (key === 'Enter' && COLUMNS[active.col]?.key === 'actions') {
          if (line && (EXCLUDABLE.has(line.status) || line.status === 'excluded'))
            void reviewActions.setExcluded(line, line.status !== 'excluded', visiblePages());
        } else startEdit(active.row, active.col);
        break;
      }
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  };

  /** Clicks land on cells; the grid finds which one from its data attributes. */
  const cellFrom = (target: EventTarget): Active | null => {
    const cell = (target as HTMLElement).closest?.('td[data-col]');
    const row = cell?.closest('tr[data-index]');
    if (!(cell instanceof HTMLElement) || !(row instanceof HTMLElement)) return null;
    return { row: Number(row.dataset.index), col: Number(cell.dataset.col) };
  };

  const cellId = (row: number, col: number) => `${gridId}-r${row}-c${col}`;

  // Rows are memoised: scrolling renders only the rows that come into view. Their callbacks go through a
  // ref so that they stay the same object while still seeing the latest state.
  const latest = useRef({ editing, setEditing, commit, cancel: () => {}, visiblePages });
  latest.current = {
    editing,
    setEditing,
    commit,
    cancel: () => {
      committed.current = true;
      setEditing(null);
      scrollRef.current?.querySelector<HTMLElement>('table')?.focus();
    },
    visiblePages,
  };
  const rowActions = useMemo<RowActions>(
    () => ({
      editChange: (value) => {
        const current = latest.current.editing;
        if (current) latest.current.setEditing({ ...current, value });
      },
      commit: () => latest.current.commit(),
      cancel: () => latest.current.cancel(),
      toggleExcluded: (line) => void reviewActions.setExcluded(line, line.status !== 'excluded', latest.current.visiblePages()),
    }),
    [],
  );

  return (
    <div ref={scrollRef} className="grid-scroll">
      <table
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the WAI-ARIA data grid pattern: a table with role grid, cells chosen by aria-activedescendant
        role="grid"
        tabIndex={0}
        className="vgrid"
        aria-label={t('review.gridLabel', { count: total })}
        aria-rowcount={total + 1}
        aria-colcount={COLUMNS.length}
        aria-activedescendant={total > 0 && !editing ? cellId(active.row, active.col) : undefined}
        onKeyDown={onKeyDown}
        onClick={(event) => {
          const cell = cellFrom(event.target);
          if (cell) setActive(cell);
        }}
        onDoubleClick={(event) => {
          const cell = cellFrom(event.target);
          if (cell) startEdit(cell.row, cell.col);
        }}
        data-testid="review-grid"
      >
        <thead className="grid-header">
          <tr aria-rowindex={1} style={{ gridTemplateColumns: TEMPLATE }}>
            {COLUMNS.map((column, col) => (
              <th
                key={column.key}
                scope="col"
                aria-colindex={col + 1}
                aria-sort={column.sort && sort.column === column.sort ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
                className={column.numeric ? 'num' : undefined}
              >
                {column.sort ? (
                  <button type="button" className="sort" tabIndex={-1} onClick={() => column.sort && reviewActions.sortBy(column.sort)}>
                    {columnTitle(column, t)}
                    {sort.column === column.sort && <span aria-hidden="true">{sort.direction === 'asc' ? ' ▲' : ' ▼'}</span>}
                  </button>
                ) : (
                  columnTitle(column, t)
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => (
            <Row
              key={item.key}
              index={item.index}
              start={item.start}
              line={lineAt(item.index)}
              locale={locale}
              idPrefix={gridId}
              activeCol={active.row === item.index ? active.col : null}
              editing={editing?.row === item.index ? editing : null}
              actions={rowActions}
              t={t}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface RowActions {
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
  editing: { col: number; value: string } | null;
  actions: RowActions;
  /** Passed down rather than a hook per cell: useTranslation in each of 15 cells x 40 rows costs frames. */
  t: TFunction;
}

const Row = memo(function Row({ index, start, line, locale, idPrefix, activeCol, editing, actions, t }: RowProps) {
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
  /** The value being typed when this cell is in edit mode, else null. */
  editing: string | null;
  actions: RowActions;
  t: TFunction;
}

function Cell({ id, col, column, line, locale, active, editing, actions, t }: CellProps) {
  if (!line) {
    return (
      <td id={id} data-col={col} aria-colindex={col + 1} className="cell muted">
        {col === 1 ? t('review.loading') : ''}
      </td>
    );
  }
  const issues = line.issues.filter(
    (issue) => issue.field === column.key || (column.key === 'status' && !COLUMNS.some((c) => c.key === issue.field)),
  );
  const messages = issues.map((issue) =>
    t(`validation.${issue.code}`, { field: t(`fields.${issue.field}`, { defaultValue: issue.field }), value: issue.value }),
  );
  if (column.key === 'status' && line.syncError) {
    messages.push(t(`syncErrors.${line.syncError.kind}`, { code: line.syncError.code, defaultValue: line.syncError.code }));
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
      id={id}
      data-col={col}
      aria-colindex={col + 1}
      aria-selected={active}
      aria-invalid={issues.length > 0 || undefined}
      title={messages.join('\n') || undefined}
      className={`cell ${column.numeric ? 'num' : ''} ${issues.length ? 'cell-invalid' : ''} ${active ? 'cell-active' : ''}`}
    >
      {content}
      {messages.length > 0 && editing === null && <span className="visually-hidden">{messages.join(' ')}</span>}
    </td>
  );
}

export function ReviewScreen() {
  const { t } = useTranslation();
  const locale = useLocale();
  const batches = useBatches();
  const batch = useCurrentBatch();
  const filter = useReviewFilter();
  const overview = useReviewOverview();
  const total = useReviewTotal();
  const error = useReviewError();
  const message = useReviewMessage();
  const ids = { batch: useId(), status: useId(), code: useId(), search: useId() };

  const batchId = batch?.id;
  const synced = batch?.orders.synced;
  useEffect(() => {
    if (batchId !== undefined) void reviewActions.open(batchId);
  }, [batchId]);
  // A sync (here or scheduled) changed the batch's outcome: show the new statuses where the grid stands.
  const seen = useRef<{ batchId?: number; synced?: number }>({});
  useEffect(() => {
    const before = seen.current;
    seen.current = { batchId, synced };
    if (before.batchId === batchId && before.synced !== synced) reviewActions.refreshLoaded();
  }, [batchId, synced]);

  if (!batch) {
    return (
      <section aria-labelledby="screen-title">
        <div className="screen-header">
          <h1 id="screen-title">{t('review.title')}</h1>
        </div>
        <div className="empty">
          <p>{t('review.noBatch')}</p>
        </div>
      </section>
    );
  }

  return (
    <section aria-labelledby="screen-title" className="review">
      <div className="screen-header">
        <h1 id="screen-title">{t('review.title')}</h1>
        <span className="muted">
          {total === null ? t('review.loading') : t('review.lines', { count: total, formatted: formatCount(total, locale) })}
        </span>
      </div>
      <div className="toolbar">
        <div className="field">
          <label htmlFor={ids.batch}>{t('review.batch')}</label>
          <select id={ids.batch} value={batch.id} onChange={(e) => appActions.openBatch(Number(e.target.value))}>
            {batches.map((b) => (
              <option key={b.id} value={b.id}>
                {t('sync.batchOption', { file: b.sourceFileName, valid: formatCount(b.orders.valid, locale) })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.status}>{t('review.status')}</label>
          <select
            id={ids.status}
            value={filter.status}
            onChange={(e) => reviewActions.setFilter({ status: e.target.value as LineStatus | '' })}
          >
            <option value="">{t('common.all')}</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`review.statusValue.${status}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.code}>{t('review.code')}</label>
          <select id={ids.code} value={filter.code} onChange={(e) => reviewActions.setFilter({ code: e.target.value })}>
            <option value="">{t('common.all')}</option>
            {overview?.codes.map((c) => (
              <option key={c.code} value={c.code}>
                {t(`validationCodes.${c.code}`, { defaultValue: c.code })} ({formatCount(c.orders, locale)})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.search}>{t('review.search')}</label>
          <input
            id={ids.search}
            type="search"
            value={filter.search}
            onChange={(e) => reviewActions.setFilter({ search: e.target.value })}
          />
        </div>
      </div>
      <Summary />
      <ErrorMessage error={error} />
      <p className="visually-hidden" role="status">
        {message ? t(message.key, { ref: message.ref }) : ''}
      </p>
      <p className="muted small">{t('review.editHint')}</p>
      {total === 0 ? (
        <div className="empty">
          <p>{t('review.empty')}</p>
        </div>
      ) : (
        <Grid batchId={batch.id} />
      )}
      <div className="toolbar">
        {(batch.status === 'staged' || batch.status === 'ready') && (
          <button type="button" onClick={() => void appActions.markReady(batch.id, batch.status !== 'ready')}>
            {batch.status === 'ready' ? t('review.unmarkReady') : t('review.markReady')}
          </button>
        )}
        <button type="button" className="primary" onClick={() => appActions.openBatch(batch.id, 'sync')}>
          {t('review.toSync')}
        </button>
      </div>
    </section>
  );
}
