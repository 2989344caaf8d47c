import type { Locale, SettingsView } from '@shared/contract';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../components/ErrorMessage';
import { Notice } from '../components/Notice';
import { appActions, useLocale } from '../state/app';
import { recordsActions, useRecordsBusy, useRecordsError, useSettings } from '../state/records';
import { LockSettings } from './settings/LockSettings';
import { BackendForm } from './settings/BackendForm';
import { FieldError, type FieldMessage, invalidProps } from './settings/FieldError';
import { LimitsForm } from './settings/LimitsForm';
import { SchedulePicker } from './settings/SchedulePicker';
import { StoreFacts } from './settings/StoreFacts';
import { UpdatesForm } from './UpdatesForm';
import { confirmPurge, confirmRestore } from './settingsConfirmations';

function ScheduleForm({ settings, busy }: { settings: SettingsView; busy: boolean }) {
  const { t } = useTranslation();
  const [days, setDays] = useState(settings.retentionDays === null ? '' : String(settings.retentionDays));
  const ids = { days: useId(), daysError: useId() };
  const [daysError, setDaysError] = useState<FieldMessage | null>(null);
  return (
    <>
      <SchedulePicker settings={settings} busy={busy} />
      <form
        className="panel form"
        aria-labelledby="retention-title"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const value = days.trim() === '' ? null : Number(days);
          if (value !== null && !(Number.isInteger(value) && value >= 1 && value <= 3650)) {
            setDaysError({ key: 'settings.errors.range', params: { min: 1, max: 3650 } });
            return;
          }
          setDaysError(null);
          void recordsActions.saveRetention(value).then(setDaysError);
        }}
      >
        <h2 id="retention-title">{t('settings.retention')}</h2>
        <div className="form-grid">
          <label htmlFor={ids.days}>{t('settings.retentionDays')}</label>
          <div className="field-cell">
            <input
              id={ids.days}
              type="number"
              min={1}
              max={3650}
              value={days}
              onChange={(e) => setDays(e.target.value)}
              {...invalidProps(ids.daysError, daysError)}
            />
            <FieldError id={ids.daysError} message={daysError} />
          </div>
        </div>
        <div className="toolbar">
          <button type="submit" className="primary" disabled={busy}>
            {t('common.save')}
          </button>
          <button
            type="button"
            disabled={busy || settings.retentionDays === null}
            onClick={() => void confirmPurge(settings.retentionDays)}
          >
            {t('settings.purge')}
          </button>
        </div>
      </form>
    </>
  );
}

function StorePanel({ settings, busy }: { settings: SettingsView; busy: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const languageId = useId();
  return (
    <>
      <div className="panel form">
        <h2>{t('settings.language')}</h2>
        <label htmlFor={languageId} className="visually-hidden">
          {t('settings.language')}
        </label>
        <select id={languageId} value={locale} onChange={(e) => void appActions.setLocale(e.target.value as Locale)}>
          <option value="ja">{t('language.ja')}</option>
          <option value="en">{t('language.en')}</option>
        </select>
      </div>
      <div className="panel form">
        <h2>{t('settings.store')}</h2>
        <StoreFacts settings={settings} />
        <div className="toolbar">
          <button type="button" disabled={busy} onClick={() => void recordsActions.backup()}>
            {t('settings.backup')}
          </button>
          <button type="button" disabled={busy} onClick={() => void confirmRestore()}>
            {t('settings.restore')}
          </button>
        </div>
        <p className="muted small">{t('settings.restoreHint')}</p>
      </div>
    </>
  );
}

export function SettingsScreen() {
  const { t } = useTranslation();
  const settings = useSettings();
  const busy = useRecordsBusy();
  const error = useRecordsError();

  useEffect(() => {
    recordsActions.clearNotice();
    void recordsActions.loadSettings();
  }, []);

  return (
    <section aria-labelledby="screen-title" className="settings">
      <div className="screen-header">
        <h1 id="screen-title">{t('settings.title')}</h1>
      </div>
      <ErrorMessage error={error} />
      <Notice />
      {settings && (
        <div className="settings-grid">
          <BackendForm settings={settings} busy={busy} />
          <LimitsForm settings={settings} busy={busy} />
          <ScheduleForm settings={settings} busy={busy} />
          <UpdatesForm settings={settings} busy={busy} />
          <LockSettings />
          <StorePanel settings={settings} busy={busy} />
        </div>
      )}
    </section>
  );
}
