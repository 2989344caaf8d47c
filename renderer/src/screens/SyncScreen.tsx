import type { SyncProgress } from '@shared/contract';
import type { TFunction } from 'i18next';
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCount, formatYen } from '../i18n';
import { appActions, useBatches, useCurrentBatch, useLocale } from '../state/app';
import { syncActions, useRateHistory, useShownEta, useSyncError, useSyncProgress, useSyncRunning } from '../state/sync';
import { cancelWithConfirmation, startWithConfirmation } from './sync/confirmations';
import { formatEta } from './sync/eta';
import { PaidUnnotified } from './sync/PaidUnnotified';
import { Problems } from './sync/Problems';

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

/** The run's state in words; a finished run with failures or orders to check says how many ("完了（失敗2件）"). */
function stateLabel(t: TFunction, progress: SyncProgress): string {
  if (progress.state !== 'finished' || progress.failed + progress.needsReview === 0) return t(`sync.state.${progress.state}`);
  const counts = { failed: progress.failed, review: progress.needsReview };
  if (progress.needsReview === 0) return t('sync.finishedWithFailed', counts);
  if (progress.failed === 0) return t('sync.finishedWithReview', counts);
  return t('sync.finishedWithBoth', counts);
}

export function SyncScreen() {
  const { t } = useTranslation();
  const locale = useLocale();
  const batches = useBatches();
  const progress = useSyncProgress();
  const running = useSyncRunning();
  const error = useSyncError();
  const history = useRateHistory();
  const eta = useShownEta();
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
            {stateLabel(t, progress)}
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
          onClick={() => batchId !== null && void startWithConfirmation(t, locale, [batchId])}
        >
          {t('sync.start')}
        </button>
        <button type="button" disabled={!running || progress?.state === 'paused'} onClick={() => void syncActions.pause()}>
          {t('sync.pause')}
        </button>
        <button type="button" disabled={!running || progress?.state !== 'paused'} onClick={() => void syncActions.resume()}>
          {t('sync.resume')}
        </button>
        <button type="button" disabled={!running || progress?.state === 'cancelling'} onClick={() => void cancelWithConfirmation(t)}>
          {t('sync.cancel')}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {t(`errors.${error.code}`, error.params)}
        </p>
      )}
      {/* What a cancel left to finish comes first: it is the next thing to do. */}
      {batchId !== null && !running && <PaidUnnotified batchId={batchId} count={progress?.paidUnnotified ?? -1} />}
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
            {eta && running && (
              <>
                <dt>{t('sync.eta')}</dt>
                <dd data-testid="sync-eta">{formatEta(t, locale, eta)}</dd>
              </>
            )}
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
      {batchId !== null && <Problems batchId={batchId} running={running} count={progress ? progress.failed + progress.needsReview : -1} />}
    </section>
  );
}
