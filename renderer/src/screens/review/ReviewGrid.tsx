import type { LineRow } from '@shared/contract';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TFunction } from 'i18next';
import { type CSSProperties, memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../state/app';
import { PAGE_SIZE, reviewActions, useReviewPages, useReviewSort, useReviewTotal } from '../../state/review';
import { bulkActions } from '../../state/bulk';
import { parseTsv, toTsv } from './clipboard';
import { copyMatrix, fillDown, pasteAt, type Range, rangeOf } from './ranges';
import { COLUMN_LEFT, COLUMNS, canEdit, cellText, columnTitle, EXCLUDABLE, FROZEN_WIDTH, ROW_HEIGHT, ROW_WIDTH, TEMPLATE } from './columns';
import { Row, type RowActions } from './GridRow';
import { lineMessages } from './messages';
import { type Active, useGridKeyboard } from './useGridKeyboard';

/**
 * Rows rendered beyond each edge of the view: 170 px, more than a frame of a fast scroll (120 px/frame in
 * bench:renderer, whose screenshots mid-scroll show no blank rows); 8 cost 6 rows more (~200 DOM nodes, 2 MB PSS).
 */
const OVERSCAN = 5;

/** The column template and row width, set once on the table for every row (not in each row's style). */
const GRID_STYLE = { '--grid-columns': TEMPLATE, '--grid-width': `${ROW_WIDTH}px` } as CSSProperties;

/** The virtualized review grid: only the rows in view are rendered, pages of lines come from main. */
/** Scrolls the box sideways just enough that column col is in view beside the frozen columns. */
export function scrollColumnIntoView(box: HTMLElement, col: number): void {
  const column = COLUMNS[col];
  if (!column) return;
  if (column.frozen) {
    // Frozen columns are always in view; going to them (Home) shows the grid from its left edge again.
    box.scrollLeft = 0;
    return;
  }
  const left = COLUMN_LEFT[col] ?? 0;
  const right = left + column.width;
  if (left - FROZEN_WIDTH < box.scrollLeft) box.scrollLeft = left - FROZEN_WIDTH;
  else if (right > box.scrollLeft + box.clientWidth) box.scrollLeft = right - box.clientWidth;
}

/** Where the row at index stands in a DOM whose rows are ordered by slot starting at slot pivot. */
function slotAfter(index: number, pivot: number, slots: number): number {
  return (index - pivot + slots) % slots;
}

/** A cell's text as the grid shows it (copied to the clipboard). */
function shownText(line: LineRow, col: number, locale: string, t: TFunction): string {
  const column = COLUMNS[col];
  if (!column || column.key === 'actions') return '';
  if (column.key === 'status') return t(`review.statusValue.${line.status}`);
  if (column.key === 'errors') return lineMessages(line, t).join(' ');
  return cellText(line, column, locale);
}

interface GridProps {
  batchId: number;
  /** The order number on the active row, for the side panel. */
  onActiveLine?: (orderRef: string | undefined) => void;
  /** The rows selected (a range, plus rows added with Ctrl+click), for "set field to…". */
  onSelectRows?: (rows: number[]) => void;
}

/** Memoised: the screen around it (toasts, selection, panel) re-renders without re-rendering the rows. */
export const ReviewGrid = memo(function ReviewGrid({ batchId, onActiveLine, onSelectRows }: GridProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const total = useReviewTotal() ?? 0;
  const pages = useReviewPages();
  const sort = useReviewSort();
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridId = useId();
  const [active, setActive] = useState<Active>({ row: 0, col: 1 });
  // The selection: a range from anchor to the active cell, plus whole rows added with Ctrl+click.
  const [anchor, setAnchor] = useState<Active>({ row: 0, col: 1 });
  const [extraRows, setExtraRows] = useState<ReadonlySet<number>>(new Set());
  const range: Range = rangeOf(anchor, active);
  const [editing, setEditing] = useState<{ row: number; col: number; value: string } | null>(null);
  const committed = useRef(false);
  const scrolledX = useRef(0);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    // Let React batch the re-render a scroll causes instead of rendering synchronously inside the scroll event.
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  // Rows are recycled: always the same number of rows (the most the virtualizer has asked for), keyed by
  // index % that number. Scrolling by n rows then moves n keys from the rows leaving to the rows coming in,
  // so React updates their text and attributes instead of removing 16 cells a row and creating them again.
  // The pool is sized at once for a full window (the rows in view and the overscan on both sides): grown as the
  // first rows scrolled out of the top added the overscan above, each growth changed every row's key (index % slots)
  // and remounted the whole grid in the scroll's first frames.
  const pool = useRef(0);
  const inView = Math.ceil((virtualizer.scrollRect?.height ?? 0) / ROW_HEIGHT) + 1;
  pool.current = Math.max(pool.current, items.length, Math.min(total, inView + 2 * OVERSCAN));
  const slots = pool.current;
  const from = Math.max(0, Math.min(items[0]?.index ?? 0, total - slots));
  const rendered = Array.from({ length: Math.min(slots, total - from) }, (_, i) => from + i);
  // While scrolling, the rows stay where they are in the DOM: a row taking new data is updated in place, not moved,
  // which would restyle and lay out its 16 cells again. So the order kept is the one the DOM had when the scroll
  // began (reading order, starting at slot `pivot`); sorting by slot alone moved most rows in the scroll's first
  // frame (a 20 ms frame each time a scroll started). When the scroll settles (150 ms), the DOM goes back to reading
  // order for screen readers' browse mode; aria-rowindex says each row's place anyway.
  const pivot = useRef(0);
  if (virtualizer.isScrolling) rendered.sort((a, b) => slotAfter(a, pivot.current, slots) - slotAfter(b, pivot.current, slots));
  else pivot.current = from % slots;
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  useEffect(() => {
    // Half a page ahead and behind: the next page is usually there before its rows scroll into view.
    if (total > 0) reviewActions.ensureRows(Math.max(0, first - PAGE_SIZE / 2), Math.min(total - 1, last + PAGE_SIZE / 2));
  }, [first, last, total]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new batch starts at the top
  useEffect(() => {
    setActive({ row: 0, col: 1 });
    setAnchor({ row: 0, col: 1 });
    setExtraRows(new Set());
    setEditing(null);
    virtualizer.scrollToOffset(0);
  }, [batchId, virtualizer]);

  const lineAt = (index: number): LineRow | undefined => pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
  const activeRef = lineAt(active.row)?.orderRef;
  useEffect(() => onActiveLine?.(activeRef), [activeRef, onActiveLine]);
  const visiblePages = () => [...new Set(items.map((item) => Math.floor(item.index / PAGE_SIZE)))];

  const selectedRows = () => {
    const rows = new Set(extraRows);
    for (let r = range.r1; r <= range.r2; r += 1) rows.add(r);
    return [...rows].sort((a, b) => a - b);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: reported when the selection changes, not on every render
  useEffect(() => onSelectRows?.(selectedRows()), [range.r1, range.r2, extraRows, onSelectRows]);

  const move = (row: number, col: number, extend = false) => {
    const next = { row: Math.max(0, Math.min(total - 1, row)), col: Math.max(0, Math.min(COLUMNS.length - 1, col)) };
    setActive(next);
    if (!extend) {
      setAnchor(next);
      setExtraRows(new Set());
    }
    virtualizer.scrollToIndex(next.row, { align: 'auto' });
    if (scrollRef.current) scrollColumnIntoView(scrollRef.current, next.col);
  };

  const startEdit = (row: number, col: number) => {
    const line = lineAt(row);
    const column = COLUMNS[col];
    if (!line || !column?.field) return;
    if (!canEdit(line, column.field)) {
      // Say why instead of doing nothing: the backend already holds this order as it is.
      if (line.createdUnpaid)
        reviewActions.showError({ code: 'ORDER_CREATED_FIELD_LOCKED', params: { orderRef: line.orderRef, field: column.field } });
      return;
    }
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

  const onKeyDown = useGridKeyboard({
    active,
    total,
    editing: editing !== null,
    pageRows: () => Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1),
    move,
    startEdit,
    fillDown: () => void bulkActions.apply('fill', fillDown(range, lineAt)),
    undo: (redo) => void bulkActions.undo(redo),
    activate: (row) => {
      const line = lineAt(row);
      if (line && (EXCLUDABLE.has(line.status) || line.status === 'excluded'))
        void reviewActions.setExcluded(line, line.status !== 'excluded', visiblePages());
    },
  });

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
    <div
      ref={scrollRef}
      className="grid-scroll"
      onScroll={(event) => {
        // Frozen columns follow the sideways scroll; vertical scrolling leaves them alone.
        const box = event.currentTarget;
        if (box.scrollLeft !== scrolledX.current) {
          scrolledX.current = box.scrollLeft;
          box.style.setProperty('--scroll-x', `${box.scrollLeft}px`);
          // The frozen cells become shifted layers only while there is something to shift (see styles.css). React
          // leaves this class alone: the className prop never changes after the first render.
          box.classList.toggle('shifted', box.scrollLeft > 0);
        }
      }}
    >
      <table
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the WAI-ARIA data grid pattern: a table with role grid, cells chosen by aria-activedescendant
        role="grid"
        tabIndex={0}
        className="vgrid"
        style={GRID_STYLE}
        aria-label={t('review.gridLabel', { count: total })}
        aria-rowcount={total + 1}
        aria-colcount={COLUMNS.length}
        aria-activedescendant={total > 0 && !editing ? cellId(active.row, active.col) : undefined}
        onKeyDown={onKeyDown}
        onClick={(event) => {
          const cell = cellFrom(event.target);
          if (!cell) return;
          setActive(cell);
          if (event.shiftKey) return;
          setAnchor(cell);
          if (event.ctrlKey || event.metaKey) {
            // Ctrl+click adds (or removes) the row, keeping what was selected.
            const rows = new Set([...extraRows, ...selectedRows()]);
            if (extraRows.has(cell.row)) rows.delete(cell.row);
            else rows.add(cell.row);
            setExtraRows(rows);
          } else setExtraRows(new Set());
        }}
        onCopy={(event) => {
          if (editing) return;
          event.preventDefault();
          event.clipboardData.setData('text/plain', toTsv(copyMatrix(range, lineAt, (line, col) => shownText(line, col, locale, t))));
        }}
        onPaste={(event) => {
          if (editing) return;
          event.preventDefault();
          const { changes, skipped } = pasteAt(
            { row: range.r1, col: range.c1 },
            parseTsv(event.clipboardData.getData('text/plain')),
            lineAt,
          );
          if (skipped > 0) reviewActions.say({ key: 'review.bulk.pasteSkipped', params: { count: skipped, skipped }, ok: false });
          void bulkActions.apply('paste', changes);
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
                className={`${column.numeric ? 'num' : ''} ${column.frozen ? 'frozen' : ''}`}
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
          {rendered.map((index) => (
            <Row
              key={index % slots}
              index={index}
              start={index * ROW_HEIGHT}
              line={lineAt(index)}
              locale={locale}
              idPrefix={gridId}
              activeCol={active.row === index ? active.col : null}
              selected={
                extraRows.has(index)
                  ? `0-${COLUMNS.length - 1}`
                  : index >= range.r1 && index <= range.r2 && (range.r1 !== range.r2 || range.c1 !== range.c2)
                    ? `${range.c1}-${range.c2}`
                    : null
              }
              editing={editing?.row === index ? editing : null}
              actions={rowActions}
              t={t}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
});
