import type { BatchSummary, LineStatus } from '@shared/contract';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BatchStateBadge } from '../components/BatchStateBadge';
import { ScrollRegion } from '../components/ScrollRegion';
import { formatCount, formatDateTime, formatYen } from '../i18n';
import { call } from '../ipc';
import { appActions, useBatches, useLocale } from '../state/app';
import { reviewActions } from '../state/review';

const NUMERIC_COLUMNS = ['orders', 'valid', 'invalid', 'synced', 'failed', 'needsReview', 'yen'] as const;

/** Opens the grid on a batch already filtered to what needs doing. */
function openFiltered(batchId: number, status: LineStatus | '') {
  reviewActions.presetFilter({ status, code: '', search: '' });
  appActions.openBatch(batchId);
}

/** The one next step for a batch, as a button that says what it does. */
function NextStep({ batch }: { batch: BatchSummary }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { invalid, failed, needsReview, valid, synced } = batch.orders;
  if (invalid > 0)
    return (
      <button type="button" className="primary" onClick={() => openFiltered(batch.id, 'invalid')}>
        {t('batches.next.fix', { count: invalid, formatted: formatCount(invalid, locale) })}
      </button>
    );
  if (failed + needsReview > 0)
    return (
      <button type="button" onClick={() => openFiltered(batch.id, failed > 0 ? 'failed' : 'needs_review')}>
        {t('batches.next.failed', { count: failed + needsReview, formatted: formatCount(failed + needsReview, locale) })}
      </button>
    );
  const paid = batch.orders.paidUnnotified ?? 0;
  if (paid > 0)
    return (
      <button type="button" onClick={() => appActions.openBatch(batch.id, 'sync')}>
        {t('batches.next.notify', { count: paid, formatted: formatCount(paid, locale) })}
      </button>
    );
  if (valid > synced)
    return (
      <button type="button" onClick={() => appActions.openBatch(batch.id, 'sync')}>
        {t('batches.next.sync', { count: valid - synced, formatted: formatCount(valid - synced, locale) })}
      </button>
    );
  const purged = batch.orders.purged ?? 0;
  if (purged > 0)
    return (
      <button type="button" onClick={() => openFiltered(batch.id, 'purged')}>
        {t('batches.next.purged', { count: purged, formatted: formatCount(purged, locale) })}
      </button>
    );
  return null;
}

/** Today at a glance: what needs a fix, what failed, when the next unattended sync runs. */
function TodayStrip({ batches }: { batches: readonly BatchSummary[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [nextRun, setNextRun] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    call('getSettings').then(
      (settings) => setNextRun(settings.schedule.nextRun),
      () => setNextRun(null),
    );
  }, []);
  const toFix = batches.reduce((n, b) => n + b.orders.invalid, 0);
  const failed = batches.reduce((n, b) => n + b.orders.failed + b.orders.needsReview, 0);
  return (
    <ul className="today" aria-label={t('batches.today.label')} data-testid="today">
      <li className={toFix > 0 ? 'today-alert' : ''}>
        <span className="today-figure">{formatCount(toFix, locale)}</span>
        <span>{t('batches.today.toFix')}</span>
      </li>
      <li className={failed > 0 ? 'today-alert' : ''}>
        <span className="today-figure">{formatCount(failed, locale)}</span>
        <span>{t('batches.today.failed')}</span>
      </li>
      <li>
        <span className="today-figure small">
          {nextRun ? formatDateTime(nextRun, locale) : nextRun === null ? t('batches.today.noSchedule') : '…'}
        </span>
        <span>{t('batches.today.nextRun')}</span>
      </li>
    </ul>
  );
}

export function BatchesScreen() {
  const { t } = useTranslation();
  const batches = useBatches();
  const locale = useLocale();

  return (
    <section aria-labelledby="screen-title">
      <div className="screen-header">
        <h1 id="screen-title">{t('batches.title')}</h1>
        <span className="muted" data-testid="batch-count">
          {t('batches.count', { count: batches.length })}
        </span>
      </div>
      <TodayStrip batches={batches} />
      {batches.length === 0 ? (
        <div className="empty">
          <p className="empty-title">{t('batches.empty')}</p>
          <p className="muted">{t('batches.emptyHint')}</p>
          <button type="button" className="primary" onClick={() => appActions.setScreen('import')}>
            {t('nav.import')}
          </button>
        </div>
      ) : (
        <ScrollRegion label={t('batches.title')}>
          <table className="table dashboard">
            <caption className="visually-hidden">{t('batches.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('batches.column.file')}</th>
                {NUMERIC_COLUMNS.map((key) => (
                  <th key={key} scope="col" className="num">
                    {t(`batches.column.${key}`)}
                  </th>
                ))}
                <th scope="col">{t('batches.column.next')}</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((batch) => (
                <tr key={batch.id} data-batch-id={batch.id}>
                  <th scope="row">
                    <div className="file-name">{batch.sourceFileName}</div>
                    <BatchStateBadge t={t} batch={batch} />
                    <div className="muted small">
                      {formatDateTime(batch.importedAt, locale)} · {batch.importedBy}
                      {batch.sheetName ? ` · ${batch.sheetName}` : ''}
                    </div>
                  </th>
                  <td className="num">
                    <div>{formatCount(batch.orders.total, locale)}</div>
                    {(batch.orders.purged ?? 0) > 0 && (
                      <div className="muted small" data-testid="batch-purged">
                        {t('batches.purgedCount', { formatted: formatCount(batch.orders.purged ?? 0, locale) })}
                      </div>
                    )}
                  </td>
                  <td className="num">{formatCount(batch.orders.valid, locale)}</td>
                  <td className={`num ${batch.orders.invalid > 0 ? 'danger' : ''}`}>{formatCount(batch.orders.invalid, locale)}</td>
                  <td className="num">{formatCount(batch.orders.synced, locale)}</td>
                  <td className={`num ${batch.orders.failed > 0 ? 'danger' : ''}`}>{formatCount(batch.orders.failed, locale)}</td>
                  <td className={`num ${batch.orders.needsReview > 0 ? 'danger' : ''}`}>{formatCount(batch.orders.needsReview, locale)}</td>
                  <td className="num">
                    <div>{formatYen(batch.totalAmountYen, locale)}</div>
                    <div className="muted small">{t('batches.syncedYen', { yen: formatYen(batch.syncedAmountYen, locale) })}</div>
                  </td>
                  <td className="actions">
                    <NextStep batch={batch} />
                    <button
                      type="button"
                      className="link"
                      aria-label={t('batches.openLabel', { file: batch.sourceFileName })}
                      onClick={() => openFiltered(batch.id, '')}
                    >
                      {t('batches.open')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
