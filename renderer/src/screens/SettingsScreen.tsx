import type { Locale, SettingsView, SyncLimits } from '@shared/contract';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../components/ErrorMessage';
import { Notice } from '../components/Notice';
import { formatCount, formatDateTime } from '../i18n';
import { appActions, useLocale } from '../state/app';
import { recordsActions, useRecordsBusy, useRecordsError, useSettings } from '../state/records';
import { LockSettings } from './settings/LockSettings';
import { UpdatesForm } from './UpdatesForm';
import { confirmPurge, confirmRestore } from './settingsConfirmations';

const SERVICES = ['orders', 'payments', 'notifications'] as const;

/** The limit inputs of each service's row: its setting, label and bounds (the contract validates them again). */
const LIMIT_INPUTS = [
  { key: 'ratePerSecond', label: 'settings.rate', min: 0.1, step: 'any', required: false },
  { key: 'concurrency', label: 'settings.concurrency', min: 1, max: 64, required: true },
  { key: 'timeoutMs', label: 'settings.timeout', min: 1000, max: 120000, step: 500, required: true },
] as const;

function BackendForm({ settings, busy }: { settings: SettingsView; busy: boolean }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState(settings.backend.mode);
  const [url, setUrl] = useState(settings.backend.url ?? '');
  const [clientId, setClientId] = useState(settings.backend.clientId ?? '');
  const [secret, setSecret] = useState('');
  const ids = { url: useId(), clientId: useId(), secret: useId(), hint: useId() };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void recordsActions
      .saveBackend(mode === 'simulator' ? { mode } : { mode, url, clientId, ...(secret ? { clientSecret: secret } : {}) })
      .then(() => {
        setSecret('');
        return appActions.load();
      });
  };
  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="backend-title">
      <h2 id="backend-title">{t('settings.backend')}</h2>
      <fieldset>
        <legend className="visually-hidden">{t('settings.backend')}</legend>
        <label className="radio">
          <input type="radio" name="mode" checked={mode === 'simulator'} onChange={() => setMode('simulator')} />
          {t('settings.modeSimulator')}
        </label>
        <label className="radio">
          <input type="radio" name="mode" checked={mode === 'remote'} onChange={() => setMode('remote')} />
          {t('settings.modeRemote')}
        </label>
      </fieldset>
      {mode === 'remote' && (
        <div className="form-grid">
          <label htmlFor={ids.url}>{t('settings.url')}</label>
          <input id={ids.url} type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://" />
          <label htmlFor={ids.clientId}>{t('settings.clientId')}</label>
          <input id={ids.clientId} required value={clientId} onChange={(e) => setClientId(e.target.value)} autoComplete="off" />
          <label htmlFor={ids.secret}>{t('settings.clientSecret')}</label>
          <input
            id={ids.secret}
            type="password"
            autoComplete="new-password"
            value={secret}
            required={!settings.backend.hasSecret}
            placeholder={settings.backend.hasSecret ? t('settings.secretStored') : ''}
            aria-describedby={ids.hint}
            onChange={(e) => setSecret(e.target.value)}
          />
          <span />
          <span id={ids.hint} className="muted small">
            {t('settings.secretHint')}
          </span>
        </div>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {t('common.save')}
      </button>
    </form>
  );
}

function LimitsForm({ settings, busy }: { settings: SettingsView; busy: boolean }) {
  const { t } = useTranslation();
  const [limits, setLimits] = useState<SyncLimits>(settings.limits);
  const update = (service: (typeof SERVICES)[number], key: keyof SyncLimits['orders'], value: string) => {
    const number = value === '' ? null : Number(value);
    setLimits((l) => ({ ...l, [service]: { ...l[service], [key]: key === 'ratePerSecond' ? number : (number ?? 0) } }));
  };
  return (
    <form
      className="panel form"
      aria-labelledby="limits-title"
      onSubmit={(event) => {
        event.preventDefault();
        void recordsActions.saveLimits(limits);
      }}
    >
      <h2 id="limits-title">{t('settings.limits')}</h2>
      <table className="table compact">
        <caption className="visually-hidden">{t('settings.limits')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('settings.service')}</th>
            <th scope="col">{t('settings.rate')}</th>
            <th scope="col">{t('settings.concurrency')}</th>
            <th scope="col">{t('settings.timeout')}</th>
          </tr>
        </thead>
        <tbody>
          {SERVICES.map((service) => (
            <tr key={service}>
              <th scope="row">{t(`sync.step.${service}`)}</th>
              {LIMIT_INPUTS.map(({ key, label, ...input }) => (
                <td key={key}>
                  <input
                    type="number"
                    {...input}
                    aria-label={`${t(`sync.step.${service}`)} ${t(label)}`}
                    value={limits[service][key] ?? ''}
                    onChange={(e) => update(service, key, e.target.value)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <button type="submit" className="primary" disabled={busy}>
        {t('common.save')}
      </button>
    </form>
  );
}

function ScheduleForm({ settings, busy }: { settings: SettingsView; busy: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [cron, setCron] = useState(settings.schedule.cron ?? '');
  const [days, setDays] = useState(settings.retentionDays === null ? '' : String(settings.retentionDays));
  const ids = { cron: useId(), cronHint: useId(), days: useId() };
  return (
    <>
      <form
        className="panel form"
        aria-labelledby="schedule-title"
        onSubmit={(event) => {
          event.preventDefault();
          void recordsActions.saveSchedule(cron.trim() || null);
        }}
      >
        <h2 id="schedule-title">{t('settings.schedule')}</h2>
        <div className="form-grid">
          <label htmlFor={ids.cron}>{t('settings.cron')}</label>
          <input id={ids.cron} value={cron} className="mono" aria-describedby={ids.cronHint} onChange={(e) => setCron(e.target.value)} />
        </div>
        <p id={ids.cronHint} className="muted small">
          {t('settings.cronHint')}
        </p>
        <p className="muted small" data-testid="schedule-next">
          {settings.schedule.nextRun
            ? t('settings.nextRun', { at: formatDateTime(settings.schedule.nextRun, locale) })
            : t('settings.noSchedule')}
          {settings.schedule.lastRun && ` / ${t('settings.lastRun', { at: formatDateTime(settings.schedule.lastRun, locale) })}`}
        </p>
        <button type="submit" className="primary" disabled={busy}>
          {t('common.save')}
        </button>
      </form>
      <form
        className="panel form"
        aria-labelledby="retention-title"
        onSubmit={(event) => {
          event.preventDefault();
          void recordsActions.saveRetention(days === '' ? null : Number(days));
        }}
      >
        <h2 id="retention-title">{t('settings.retention')}</h2>
        <div className="form-grid">
          <label htmlFor={ids.days}>{t('settings.retentionDays')}</label>
          <input id={ids.days} type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} />
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
        <dl className="facts">
          <dt>{t('settings.storePath')}</dt>
          <dd className="mono small">{settings.store.path}</dd>
          <dt>{t('settings.storeSize')}</dt>
          <dd>{formatCount(Math.round(settings.store.sizeBytes / 1024), locale)} KB</dd>
          <dt>{t('settings.storeCipher')}</dt>
          <dd>{t('settings.storeCipherValue', { cipher: settings.store.cipher, pageSize: settings.store.pageSize })}</dd>
          <dt>{t('settings.schema')}</dt>
          <dd>{settings.store.schemaVersion}</dd>
        </dl>
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
