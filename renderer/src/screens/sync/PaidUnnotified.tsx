import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount, formatYen } from '../../i18n';
import { useLocale } from '../../state/app';
import { syncActions, usePaidUnnotified } from '../../state/sync';
import { startWithConfirmation } from './confirmations';

/**
 * Orders a cancel left created and paid but not notified: listed with their yen, and finished by a run
 * that only sends their notifications (never creates or pays again). Shown between runs only.
 */
export function PaidUnnotified({ batchId, count }: { batchId: number; count: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const paid = usePaidUnnotified();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a changed count is the reason to load again.
  useEffect(() => {
    void syncActions.loadPaid(batchId);
  }, [batchId, count]);
  if (!paid || paid.batchId !== batchId) return null;
  if (paid.error) return <ErrorMessage error={paid.error} />;
  if (paid.total === 0) return null;
  return (
    <div className="panel" data-testid="sync-paid-unnotified">
      <h2>{t('sync.paid.title')}</h2>
      <p>{t('sync.paid.explain', { orders: paid.total, yen: formatYen(paid.yen, locale) })}</p>
      <table className="table compact sync-list">
        <caption className="visually-hidden">{t('sync.paid.title')}</caption>
        <colgroup>
          <col className="order" />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">{t('syncList.order')}</th>
            <th scope="col">{t('syncList.state')}</th>
          </tr>
        </thead>
        <tbody>
          {paid.rows.map((row) => (
            <tr key={row.lineId}>
              <th scope="row">{row.orderRef}</th>
              <td>
                <StatusBadge t={t} kind="line" status={row.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {paid.total > paid.rows.length && (
        <p className="muted small">
          {t('syncList.partial', { shown: formatCount(paid.rows.length, locale), total: formatCount(paid.total, locale) })}
        </p>
      )}
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => void startWithConfirmation(t, locale, [batchId], { notifyOnly: true })}>
          {t('sync.paid.finish')}
        </button>
      </div>
    </div>
  );
}
