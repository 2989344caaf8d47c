import type { SettingsView } from '@shared/contract';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { recordsActions } from '../state/records';

/** Where the app looks for updates: empty = never (the default). Applies at the app's next start. */
export function UpdatesForm({ settings, busy }: { settings: SettingsView; busy: boolean }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState(settings.updates.url ?? '');
  const ids = { url: useId(), hint: useId() };
  return (
    <form
      className="panel form"
      aria-labelledby="updates-title"
      onSubmit={(event) => {
        event.preventDefault();
        void recordsActions.saveUpdateUrl(url.trim() || null);
      }}
    >
      <h2 id="updates-title">{t('settings.updates')}</h2>
      <div className="form-grid">
        <label htmlFor={ids.url}>{t('settings.updateUrl')}</label>
        <input id={ids.url} type="url" value={url} className="mono" aria-describedby={ids.hint} onChange={(e) => setUrl(e.target.value)} />
      </div>
      <p id={ids.hint} className="muted small">
        {t('settings.updateHint')}
      </p>
      <button type="submit" className="primary" disabled={busy}>
        {t('common.save')}
      </button>
    </form>
  );
}
