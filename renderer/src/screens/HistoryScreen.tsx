import type { AuditRow } from '@shared/contract';
import { auditActionLabel, auditDetails, auditSentence } from '@shared/audit-text';
import type { TFunction } from 'i18next';
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../components/ErrorMessage';
import { MenuButton } from '../components/MenuButton';
import { Notice } from '../components/Notice';
import { ScrollRegion } from '../components/ScrollRegion';
import { BatchStateBadge } from '../components/BatchStateBadge';
import { formatCount, formatDateTime } from '../i18n';
import { subscribe } from '../ipc';
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

/** One audit entry: what happened in a sentence, its details (ids, counts, codes: never personal data) behind 詳細. */
function AuditEntry({ entry, locale, t }: { entry: AuditRow; locale: string; t: TFunction }) {
  const details = auditDetails(t, entry, locale);
  return (
    <tr data-action={entry.action}>
      <td className="num">{entry.seq}</td>
      <td className="nowrap">{formatDateTime(entry.at, locale)}</td>
      <td className="audit-sentence">
        <span data-testid="audit-sentence">{auditSentence(t, entry)}</span>
        {details.length > 0 && (
          <details className="audit-details">
            <summary>{t('audit.details')}</summary>
            <dl>
              {details.map((detail) => (
                <div key={detail.label}>
                  <dt>{detail.label}</dt>
                  <dd>{detail.value}</dd>
                </div>
              ))}
            </dl>
          </details>
        )}
      </td>
    </tr>
  );
}

function Verification() {
  const { t } = useTranslation();
  const locale = useLocale();
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
      <p className="muted small">{t('history.checkedAt', { at: formatDateTime(verification.checkedAt, locale) })}</p>
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
    // Shown again: the list and a check already on screen are brought up to date.
    void recordsActions.refreshAudit();
    // Entries written while the screen is shown (a sync, a scheduled run, an import): list and check again.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void recordsActions.refreshAudit(), 300);
    };
    const offBatches = subscribe('batchesChanged', later);
    const offFailed = subscribe('syncFailed', later);
    return () => {
      clearTimeout(timer);
      offBatches();
      offFailed();
    };
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
        <table className="table history-batches">
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
                  <BatchStateBadge t={t} batch={batch} />
                </td>
                <td className="actions">
                  <MenuButton
                    label={t('history.exportMenu')}
                    ariaLabel={t('history.exportMenuLabel', { file: batch.sourceFileName })}
                    disabled={busy}
                    items={EXPORTS.map((e) => ({
                      key: e.label,
                      label: t(e.label),
                      onSelect: () =>
                        void recordsActions.exportBatch({ batchId: batch.id, kind: e.kind, format: e.format, encoding: e.encoding }),
                    }))}
                  />
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
                {auditActionLabel(t, action)}
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
              <th scope="col">{t('history.details')}</th>
            </tr>
          </thead>
          <tbody>
            {audit.map((entry) => (
              <AuditEntry key={entry.seq} entry={entry} locale={locale} t={t} />
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
