import type { LineRow, LineStatus } from '@shared/contract';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../components/ErrorMessage';
import { StatusBadge } from '../components/StatusBadge';
import { formatCount, formatYen } from '../i18n';
import { appActions, useBatches, useCurrentBatch, useLocale } from '../state/app';
import {
  reviewActions,
  useReviewError,
  useReviewFilter,
  useReviewMessage,
  useReviewOverview,
  useReviewPages,
  useReviewTotal,
} from '../state/review';
import { STATUSES } from './review/columns';
import { BulkBar, UndoButtons } from './review/BulkBar';
import { OrderPanel } from './review/OrderPanel';
import { ReviewGrid } from './review/ReviewGrid';

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

/** The outcome of the last fix, visible for a few seconds and read out politely. */
function Toast() {
  const { t } = useTranslation();
  const locale = useLocale();
  const message = useReviewMessage();
  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => reviewActions.dismissMessage(), 6000);
    return () => clearTimeout(timer);
  }, [message]);
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {message && (
        <p className={`toast ${message.ok ? 'toast-ok' : 'toast-warn'}`} data-testid="review-toast">
          {t(
            message.key,
            Object.fromEntries(Object.entries(message.params).map(([k, v]) => [k, typeof v === 'number' ? formatCount(v, locale) : v])),
          )}
        </p>
      )}
    </div>
  );
}

/** How long the active row rests before the panel asks main for the whole order (arrowing past rows asks nothing). */
const DETAIL_DELAY_MS = 300;

/**
 * The side panel on the order of the active row: its loaded lines at once (an order's lines sit together in the
 * grid), then every line of the order from main, which records the detail view.
 */
function SelectedOrder({ batchId, orderRef, onClose }: { batchId: number; orderRef: string | undefined; onClose: () => void }) {
  const pages = useReviewPages();
  const previous = useRef<LineRow[]>([]);
  const loaded = useMemo(() => {
    // Page by page: flattening every held page (up to 4,800 lines) on each page load only made garbage.
    const found: LineRow[] = [];
    if (orderRef) for (const page of Object.values(pages)) for (const line of page) if (line.orderRef === orderRef) found.push(line);
    // Scrolling loads pages all the time; the panel re-renders only when its order's lines really changed.
    const same = found.length === previous.current.length && found.every((line, i) => line === previous.current[i]);
    if (!same) previous.current = found;
    return previous.current;
  }, [pages, orderRef]);
  const [fetched, setFetched] = useState<{ orderRef: string; lines: LineRow[] } | null>(null);
  useEffect(() => {
    if (!orderRef) return;
    let current = true;
    const timer = setTimeout(() => {
      void reviewActions.order(batchId, orderRef).then((lines) => {
        if (current && lines) setFetched({ orderRef, lines });
      });
    }, DETAIL_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [batchId, orderRef]);
  // The grid's lines are the freshest after an edit; main's answer adds the lines of the order not loaded yet.
  const lines = fetched && fetched.orderRef === orderRef && fetched.lines.length > loaded.length ? fetched.lines : loaded;
  return <OrderPanel batchId={batchId} lines={lines} onClose={onClose} />;
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
  const [activeRef, setActiveRef] = useState<string | undefined>();
  const [panelOpen, setPanelOpen] = useState(() => window.innerWidth >= 1200);
  const [selectedRows, setSelectedRows] = useState<readonly number[]>([]);
  const closePanel = useCallback(() => setPanelOpen(false), []);
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
          <button type="button" className="primary" onClick={() => appActions.setScreen('import')}>
            {t('review.toImport')}
          </button>
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
        {/* The next steps sit in the header, not in a bar under the grid: every line of chrome is a row less of orders. */}
        <div className="review-actions">
          {(batch.status === 'staged' || batch.status === 'ready') && (
            <button type="button" onClick={() => void appActions.markReady(batch.id, batch.status !== 'ready')}>
              {batch.status === 'ready' ? t('review.unmarkReady') : t('review.markReady')}
            </button>
          )}
          <button type="button" className="primary" onClick={() => appActions.openBatch(batch.id, 'sync')}>
            {t('review.toSync')}
          </button>
        </div>
      </div>
      <div className="toolbar review-filters">
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
      <Toast />
      <div className="review-hint">
        <BulkBar rows={selectedRows} />
        <p className="muted small" title={t('review.editHint')}>
          {t('review.editHint')}
        </p>
        <UndoButtons />
        <button type="button" className="link small" aria-pressed={panelOpen} onClick={() => setPanelOpen(!panelOpen)}>
          {t('review.panel.toggle')}
        </button>
      </div>
      {total === 0 ? (
        <div className="empty">
          <p>{t('review.empty')}</p>
          {filter.status || filter.code || filter.search ? (
            <button type="button" onClick={() => reviewActions.setFilter({ status: '', code: '', search: '' })}>
              {t('review.clearFilter')}
            </button>
          ) : null}
        </div>
      ) : (
        <div className="review-body">
          <ReviewGrid batchId={batch.id} onActiveLine={setActiveRef} onSelectRows={setSelectedRows} />
          {panelOpen && <SelectedOrder batchId={batch.id} orderRef={activeRef} onClose={closePanel} />}
        </div>
      )}
    </section>
  );
}
