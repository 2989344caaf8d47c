import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatCount, formatDateTime } from '../i18n';
import { useLocale } from '../state/app';
import { mastersActions, useMasterLists, useMasterOutcome, useMastersBusy, useMastersError } from '../state/masters';

/** マスタ: each master list with its count and last import; import or replace one through the OS file dialog, or empty it. */
export function MastersScreen() {
  const { t } = useTranslation();
  const locale = useLocale();
  const lists = useMasterLists();
  const outcome = useMasterOutcome();
  const busy = useMastersBusy();
  const error = useMastersError();

  useEffect(() => {
    void mastersActions.load();
  }, []);

  return (
    <section aria-labelledby="screen-title" data-testid="masters-screen">
      <div className="screen-header">
        <h1 id="screen-title">{t('masters.title')}</h1>
      </div>
      <p className="muted">{t('masters.intro')}</p>
      <ErrorMessage error={error} />
      {outcome && (
        <p className="notice" role="status" data-testid="master-outcome">
          {t('masters.imported', {
            list: t(`masters.list.${outcome.list}`),
            rows: formatCount(outcome.rows, locale),
            added: formatCount(outcome.added, locale),
            changed: formatCount(outcome.changed, locale),
            removed: formatCount(outcome.removed, locale),
            errors: formatCount(outcome.errors.length, locale),
          })}{' '}
          {t('masters.revalidated', {
            batches: formatCount(outcome.revalidation.batches, locale),
            becameInvalid: formatCount(outcome.revalidation.becameInvalid, locale),
            becameValid: formatCount(outcome.revalidation.becameValid, locale),
          })}
        </p>
      )}
      <table className="table">
        <caption className="visually-hidden">{t('masters.title')}</caption>
        <tbody>
          {lists.map((info) => (
            <tr key={info.list} data-testid={`master-${info.list}`}>
              <th scope="row">{t(`masters.list.${info.list}`)}</th>
              <td className="num">{t('masters.count', { count: info.count, formatted: formatCount(info.count, locale) })}</td>
              <td>
                {info.lastImport
                  ? t('masters.lastImport', { at: formatDateTime(info.lastImport.imported_at, locale), file: info.lastImport.file_name })
                  : t('masters.never')}
              </td>
              <td>
                <button type="button" className="primary" disabled={busy} onClick={() => void mastersActions.importList(info.list)}>
                  {info.count > 0 ? t('masters.replace') : t('masters.import')}
                </button>{' '}
                <button type="button" disabled={busy || info.count === 0} onClick={() => void mastersActions.clear(info.list)}>
                  {t('masters.clear')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
