import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../components/ErrorMessage';
import { Notice } from '../components/Notice';
import { ScrollRegion } from '../components/ScrollRegion';
import { StatusBadge } from '../components/StatusBadge';
import { formatCount, formatDateTime } from '../i18n';
import { appActions, useBatches, useLocale } from '../state/app';
import {
  recordsActions,
  useAudit,
  useAuditActions,
  useAuditFilter,
  useAuditTotal,
  useRecordsBusy,
  useRecordsError,
  useVerification,
} from '../state/records';

const EXPORTS = [
  { kind: 'errors', format: 'csv', encoding: 'utf-8', label: 'history.exportErrors' },
  { kind: 'errors', format: 'csv', encoding: 'shift_jis', label: 'history.exportErrorsSjis' },
  { kind: 'errors', format: 'xlsx', encoding: 'utf-8', label: 'history.exportErrorsXlsx' },
  { kind: 'success', format: 'csv', encoding: 'utf-8', label: 'history.exportSuccess' },
] as const;

/** Audit details as "key: value" pairs (ids, counts, hashes: never personal data). */
function formatDetails(details: string): string {
  try {
    const parsed = JSON.parse(details) as Record<string, unknown>;
    return Object.entries(parsed)
      .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(', ');
  } catch {
    return details;
  }
}

function Verification() {
  const { t } = useTranslation();
  const verification = useVerification();
  if (!verification) return null;
  return (
    <div className={`panel ${verification.ok ? 'panel-ok' : 'panel-bad'}`} role="status" data-testid="audit-verification">
      <p>
        {verification.firstBroken
          ? t('history.verifyBroken', {
              seq: verification.firstBroken.seq,
              reason: t(`history.reason.${verification.firstBroken.reason}`),
            })
          : verification.ok
            ? t('history.verifyOk', { entries: verification.entries })
            : null}
      </p>
      {verification.problems
        .filter((problem) => problem.code !== 'AUDIT_CHAIN_BROKEN')
        .map((problem) => (
          <p key={problem.code}>{t(`errors.${problem.code}`, problem.params)}</p>
        ))}
      <p className="muted small mono">{t('history.headHash', { hash: verification.headHash })}</p>
    </div>
  );
}

export function HistoryScreen() {
  const { t } = useTranslation();
  const locale = useLocale();
  const batches = useBatches();
  const audit = useAudit();
  const total = useAuditTotal();
  const actions = useAuditActions();
  const filter = useAuditFilter();
  const busy = useRecordsBusy();
  const error = useRecordsError();
  const ids = { action: useId(), batch: useId() };

  useEffect(() => {
    recordsActions.clearNotice();
    void recordsActions.loadAudit();
  }, []);

  return (
    <section aria-labelledby="screen-title">
      <div className="screen-header">
        <h1 id="screen-title">{t('history.title')}</h1>
      </div>
      <ErrorMessage error={error} />
      <Notice />
      <h2>{t('history.batches')}</h2>
      {batches.length === 0 && (
        <div className="empty">
          <p>{t('history.empty')}</p>
          <button type="button" className="primary" onClick={() => appActions.setScreen('import')}>
            {t('review.toImport')}
          </button>
        </div>
      )}
      <ScrollRegion label={t('history.batches')} className={batches.length === 0 ? 'hidden' : ''}>
        <table className="table">
          <caption className="visually-hidden">{t('history.batches')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('batches.column.file')}</th>
              <th scope="col">{t('batches.column.importedAt')}</th>
              <th scope="col">{t('history.outcome')}</th>
              <th scope="col">{t('batches.column.status')}</th>
              <th scope="col">{t('review.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {batches.map((batch) => (
              <tr key={batch.id} data-batch-id={batch.id}>
                <th scope="row">{batch.sourceFileName}</th>
                <td>{formatDateTime(batch.importedAt, locale)}</td>
                <td>
                  {t('history.outcomeValue', {
                    synced: formatCount(batch.orders.synced, locale),
                    valid: formatCount(batch.orders.valid, locale),
                    invalid: formatCount(batch.orders.invalid, locale),
                  })}
                </td>
                <td>
                  <StatusBadge t={t} kind="batch" status={batch.status} />
                </td>
                <td className="actions">
                  {EXPORTS.map((e) => (
                    <button
                      key={e.label}
                      type="button"
                      disabled={busy}
                      aria-label={t('history.exportLabel', { file: batch.sourceFileName, what: t(e.label) })}
                      onClick={() =>
                        void recordsActions.exportBatch({ batchId: batch.id, kind: e.kind, format: e.format, encoding: e.encoding })
                      }
                    >
                      {t(e.label)}
                    </button>
                  ))}
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={t('history.reimportLabel', { file: batch.sourceFileName })}
                    onClick={() => void recordsActions.reimport(batch.id)}
                  >
                    {t('history.reimport')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>

      <h2>{t('history.audit')}</h2>
      <div className="toolbar">
        <div className="field">
          <label htmlFor={ids.action}>{t('history.action')}</label>
          <select
            id={ids.action}
            value={filter.action ?? ''}
            onChange={(e) => void recordsActions.filterAudit({ ...filter, action: e.target.value || undefined })}
          >
            <option value="">{t('history.allActions')}</option>
            {actions.map((action) => (
              <option key={action} value={action}>
                {t(`auditActions.${action}`, { defaultValue: action })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.batch}>{t('review.batch')}</label>
          <select
            id={ids.batch}
            value={filter.batchId ?? ''}
            onChange={(e) => void recordsActions.filterAudit({ ...filter, batchId: e.target.value ? Number(e.target.value) : undefined })}
          >
            <option value="">{t('history.allBatches')}</option>
            {batches.map((b) => (
              <option key={b.id} value={b.id}>
                {b.sourceFileName}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="primary" disabled={busy} onClick={() => void recordsActions.verify()}>
          {t('history.verify')}
        </button>
        <span className="muted">{t('history.entries', { count: total, formatted: formatCount(total, locale) })}</span>
      </div>
      <Verification />
      <ScrollRegion label={t('history.audit')}>
        <table className="table compact" data-testid="audit-table">
          <caption className="visually-hidden">{t('history.audit')}</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                #
              </th>
              <th scope="col">{t('history.at')}</th>
              <th scope="col">{t('history.actor')}</th>
              <th scope="col">{t('history.action')}</th>
              <th scope="col">{t('history.order')}</th>
              <th scope="col">{t('history.details')}</th>
            </tr>
          </thead>
          <tbody>
            {audit.map((entry) => (
              <tr key={entry.seq} data-action={entry.action}>
                <td className="num">{entry.seq}</td>
                <td>{formatDateTime(entry.at, locale)}</td>
                <td>{entry.actor}</td>
                <td>{t(`auditActions.${entry.action}`, { defaultValue: entry.action })}</td>
                <td>{entry.orderRef ?? ''}</td>
                <td className="mono small">{formatDetails(entry.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {audit.length < total && (
        <button type="button" disabled={busy} onClick={() => void recordsActions.moreAudit()}>
          {t('common.more')}
        </button>
      )}
    </section>
  );
}
