import type { SettingsView } from '@shared/contract';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../../i18n';
import { useLocale } from '../../state/app';

const MB = 1024 * 1024;

/** "7.0 MB": a tenth of a megabyte at least, in the locale's digits. */
export function formatMegabytes(bytes: number, locale: string): string {
  const value = Math.max(bytes / MB, 0.1);
  return `${new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value)} MB`;
}

/** The store in plain words (where, how much, encrypted); the technical detail only behind "詳細". */
export function StoreFacts({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { store } = settings;
  return (
    <>
      <dl className="facts">
        <dt>{t('settings.storePath')}</dt>
        <dd className="mono small path">{store.path}</dd>
        <dt>{t('settings.storeAmount')}</dt>
        <dd data-testid="store-size">{formatMegabytes(store.sizeBytes, locale)}</dd>
        <dt>{t('settings.storeEncryption')}</dt>
        <dd>{store.encrypted ? t('settings.storeEncryptionOn') : t('settings.storeEncryptionOff')}</dd>
      </dl>
      <details className="small">
        <summary>{t('settings.storeDetails')}</summary>
        <p className="muted">
          {t('settings.storeTechnical', {
            cipher: store.cipher,
            pageSize: formatCount(store.pageSize, locale),
            schema: store.schemaVersion,
          })}
        </p>
      </details>
    </>
  );
}
