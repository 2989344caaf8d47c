import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount } from '../../i18n';
import { useLocale } from '../../state/app';
import { hasMoreProblems, syncActions, useSyncProblems } from '../../state/sync';
import { startWithConfirmation } from './confirmations';

/**
 * Failed and needs-review orders of the batch, with the reason, and a one-click retry of the failed ones.
 * `count` is how many the run's counts say there are: the list loads again whenever it changes, so the
 * header and the list never disagree.
 */
export function Problems({ batchId, running, count }: { batchId: number; running: boolean; count: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const problems = useSyncProblems();
  // biome-ignore lint/correctness/useExhaustiveDependencies: count and running are the reasons to load again.
  useEffect(() => {
    void syncActions.loadProblems(batchId);
  }, [batchId, running, count]);
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
          <table className="table compact sync-list">
            <caption className="visually-hidden">{t('syncList.title')}</caption>
            <colgroup>
              <col className="order" />
              <col className="state" />
              <col />
            </colgroup>
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
          <div className="toolbar">
            <button
              type="button"
              className="primary"
              disabled={running || failed === 0}
              onClick={() => void startWithConfirmation(t, locale, [batchId], { retryFailed: true })}
            >
              {t('syncList.retry')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
