import { useTranslation } from 'react-i18next';
import { ScrollRegion } from '../components/ScrollRegion';
import { StatusBadge } from '../components/StatusBadge';
import { formatCount, formatDateTime, formatYen } from '../i18n';
import { appActions, useBatches, useLocale } from '../state/app';

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
          <table className="table">
            <caption className="visually-hidden">{t('batches.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('batches.column.file')}</th>
                <th scope="col">{t('batches.column.importedAt')}</th>
                <th scope="col">{t('batches.column.importedBy')}</th>
                <th scope="col" className="num">
                  {t('batches.column.orders')}
                </th>
                <th scope="col" className="num">
                  {t('batches.column.valid')}
                </th>
                <th scope="col" className="num">
                  {t('batches.column.invalid')}
                </th>
                <th scope="col" className="num">
                  {t('batches.column.amount')}
                </th>
                <th scope="col">{t('batches.column.status')}</th>
                <th scope="col">{t('review.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((batch) => (
                <tr key={batch.id} data-batch-id={batch.id}>
                  <th scope="row">
                    <div className="file-name">{batch.sourceFileName}</div>
                    {batch.sheetName && <div className="muted small">{batch.sheetName}</div>}
                  </th>
                  <td>{formatDateTime(batch.importedAt, locale)}</td>
                  <td>{batch.importedBy}</td>
                  <td className="num">{formatCount(batch.orders.total, locale)}</td>
                  <td className="num">{formatCount(batch.orders.valid, locale)}</td>
                  <td className={`num ${batch.orders.invalid > 0 ? 'danger' : ''}`}>{formatCount(batch.orders.invalid, locale)}</td>
                  <td className="num">{formatYen(batch.totalAmountYen, locale)}</td>
                  <td>
                    <StatusBadge t={t} kind="batch" status={batch.status} />
                  </td>
                  <td className="actions">
                    <button
                      type="button"
                      aria-label={t('batches.openLabel', { file: batch.sourceFileName })}
                      onClick={() => appActions.openBatch(batch.id)}
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
