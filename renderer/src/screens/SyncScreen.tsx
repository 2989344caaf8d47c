import type { SyncProgress } from '@shared/contract';
import { useEffect, useId } from 'react';
import { ErrorMessage } from '../components/ErrorMessage';
import { StatusBadge } from '../components/StatusBadge';
import { useTranslation } from 'react-i18next';
import { formatCount, formatYen } from '../i18n';
import { appActions, useBatches, useCurrentBatch, useLocale } from '../state/app';
import {
  hasMoreProblems,
  syncActions,
  useRateHistory,
  useSyncError,
  useSyncProblems,
  useSyncProgress,
  useSyncRunning,
} from '../state/sync';

const STEPS = ['orders', 'payments', 'notifications'] as const;

function StepBar({ step, progress }: { step: (typeof STEPS)[number]; progress: SyncProgress }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const s = progress.services[step];
  const id = useId();
  return (
    <div className="step">
      <div className="step-head">
        <span id={id}>{t(`sync.step.${step}`)}</span>
        <span className="muted small">
          {t('sync.stepCounts', {
            done: formatCount(s.done, locale),
            total: formatCount(progress.total, locale),
            failed: s.failed,
            inFlight: s.in_flight,
          })}
        </span>
      </div>
      <progress aria-labelledby={id} max={Math.max(progress.total, 1)} value={s.done} />
      <div className="muted small">
        {s.limit_per_second === null
          ? t('sync.rateUnlimited', { rate: s.rate_per_second.toFixed(1) })
          : t('sync.rateLimited', { rate: s.rate_per_second.toFixed(1), limit: s.limit_per_second })}
        {s.breaker !== 'closed' && <span className="chip chip-offline">{t(`sync.breaker.${s.breaker}`)}</span>}
      </div>
    </div>
  );
}

function RateChart({ values }: { values: number[] }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...values);
  const points = values.map((v, i) => `${(i / Math.max(1, values.length - 1)) * 100},${30 - (v / max) * 28}`).join(' ');
  return (
    <svg className="chart" viewBox="0 0 100 30" preserveAspectRatio="none" role="img" aria-label={t('sync.chartLabel')}>
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}

/** Failed and needs-review orders of the batch, with the reason, and a one-click retry of the failed ones. */
function Problems({ batchId, running }: { batchId: number; running: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const problems = useSyncProblems();
  useEffect(() => {
    if (!running) void syncActions.loadProblems(batchId);
  }, [batchId, running]);
  if (!problems || problems.batchId !== batchId) return null;
  const { rows, error } = problems;
  if (error && rows.length === 0) return <ErrorMessage error={error} />;
  const failed = rows.filter((r) => r.status === 'failed').length;
  return (
    <div className="panel" data-testid="sync-problems">
      <h2>{t('syncList.title')}</h2>
      <ErrorMessage error={error} />
      {rows.length === 0 ? (
        <p className="muted">{t('syncList.none')}</p>
      ) : (
        <>
          <table className="table compact">
            <caption className="visually-hidden">{t('syncList.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('syncList.order')}</th>
                <th scope="col">{t('syncList.state')}</th>
                <th scope="col">{t('syncList.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.lineId}>
                  <th scope="row">{row.orderRef}</th>
                  <td>
                    <StatusBadge t={t} kind="line" status={row.status} />
                  </td>
                  <td>
                    {row.syncError
                      ? t(`syncErrors.${row.syncError.kind}`, { code: row.syncError.code, defaultValue: row.syncError.code })
                      : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {problems.total > rows.length && (
            <p className="muted small" data-testid="sync-problems-partial">
              {t('syncList.partial', { shown: formatCount(rows.length, locale), total: formatCount(problems.total, locale) })}
              {hasMoreProblems(problems) && (
                <button type="button" className="link" onClick={() => void syncActions.moreProblems(batchId)}>
                  {t('syncList.more')}
                </button>
              )}
            </p>
          )}
          <button
            type="button"
            className="primary"
            disabled={running || failed === 0}
            onClick={() => void syncActions.start([batchId], true)}
          >
            {t('syncList.retry')}
          </button>
        </>
      )}
    </div>
  );
}

export function SyncScreen() {
  const { t } = useTranslation();
  const locale = useLocale();
  const batches = useBatches();
  const progress = useSyncProgress();
  const running = useSyncRunning();
  const error = useSyncError();
  const history = useRateHistory();
  const current = useCurrentBatch();
  const syncable = batches.filter((b) => b.orders.valid > b.orders.synced || b.id === current?.id);
  const batchId = current?.id ?? null;

  useEffect(() => syncActions.follow(), []);

  const finished = progress ? progress.done + progress.failed + progress.needsReview : 0;
  return (
    <section aria-labelledby="screen-title">
      <div className="screen-header">
        <h1 id="screen-title">{t('sync.title')}</h1>
        {progress && (
          <span className="muted" data-testid="sync-state">
            {t(`sync.state.${progress.state}`)}
          </span>
        )}
      </div>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="sync-batch">{t('sync.batch')}</label>
          <select
            id="sync-batch"
            value={batchId ?? ''}
            onChange={(e) => appActions.openBatch(Number(e.target.value), 'sync')}
            disabled={running || syncable.length === 0}
          >
            {syncable.length === 0 && <option value="">{t('sync.nothing')}</option>}
            {syncable.map((b) => (
              <option key={b.id} value={b.id}>
                {t('sync.batchOption', { file: b.sourceFileName, valid: b.orders.valid })}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="primary"
          disabled={running || !current || current.orders.valid <= current.orders.synced}
          onClick={() => batchId !== null && void syncActions.start([batchId])}
        >
          {t('sync.start')}
        </button>
        <button type="button" disabled={!running || progress?.state === 'paused'} onClick={() => void syncActions.pause()}>
          {t('sync.pause')}
        </button>
        <button type="button" disabled={!running || progress?.state !== 'paused'} onClick={() => void syncActions.resume()}>
          {t('sync.resume')}
        </button>
        <button type="button" disabled={!running} onClick={() => void syncActions.cancel()}>
          {t('sync.cancel')}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {t(`errors.${error.code}`, error.params)}
        </p>
      )}
      {progress ? (
        <div className="panel" aria-live="polite">
          <div className="step">
            <div className="step-head">
              <span id="overall">{t('sync.overall')}</span>
              <span className="muted small" data-testid="sync-overall">
                {t('sync.overallCounts', { finished: formatCount(finished, locale), total: formatCount(progress.total, locale) })}
              </span>
            </div>
            <progress aria-labelledby="overall" max={Math.max(progress.total, 1)} value={finished} />
          </div>
          {STEPS.map((step) => (
            <StepBar key={step} step={step} progress={progress} />
          ))}
          <dl className="facts">
            <dt>{t('sync.eta')}</dt>
            <dd>{progress.etaS === null || !running ? '—' : t('sync.seconds', { seconds: Math.ceil(progress.etaS) })}</dd>
            <dt>{t('sync.yen')}</dt>
            <dd>
              {t('sync.yenValue', { synced: formatYen(progress.yen.synced, locale), staged: formatYen(progress.yen.staged, locale) })}
            </dd>
            <dt>{t('sync.failedReview')}</dt>
            <dd data-testid="sync-failed">{t('sync.failedReviewValue', { failed: progress.failed, review: progress.needsReview })}</dd>
            <dt>{t('sync.retries')}</dt>
            <dd>{t('sync.retriesValue', { retries: progress.retries, limited: progress.rateLimited })}</dd>
          </dl>
          <RateChart values={history} />
        </div>
      ) : (
        <div className="empty">
          <p className="muted">{t(batches.length === 0 ? 'sync.noBatches' : 'sync.idle')}</p>
          {batches.length === 0 ? (
            <button type="button" className="primary" onClick={() => appActions.setScreen('import')}>
              {t('review.toImport')}
            </button>
          ) : (
            <button type="button" onClick={() => appActions.setScreen('review')}>
              {t('sync.toReview')}
            </button>
          )}
        </div>
      )}
      {batchId !== null && <Problems batchId={batchId} running={running} />}
    </section>
  );
}
