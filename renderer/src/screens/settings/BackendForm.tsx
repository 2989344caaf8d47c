import type { SettingsView } from '@shared/contract';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { appActions } from '../../state/app';
import { recordsActions } from '../../state/records';
import { ConnectionTest } from './ConnectionTest';
import { FieldError, type FieldMessage, invalidProps } from './FieldError';

type BackendField = 'url' | 'clientId' | 'clientSecret' | 'form';

/** Which field an error from main belongs to; others show beside the save button. */
function fieldOf(code: string, params: Record<string, unknown>): BackendField {
  if (code.startsWith('BACKEND_URL') || code === 'BACKEND_TLS_CHECKS_DISABLED') return 'url';
  if (code === 'BACKEND_SECRET_REQUIRED' || (code === 'INVALID_INPUT' && params.field === 'clientSecret')) return 'clientSecret';
  return 'form';
}

export function BackendForm({ settings, busy }: { settings: SettingsView; busy: boolean }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState(settings.backend.mode);
  const [url, setUrl] = useState(settings.backend.url ?? '');
  const [clientId, setClientId] = useState(settings.backend.clientId ?? '');
  const [secret, setSecret] = useState('');
  const [errors, setErrors] = useState<Partial<Record<BackendField, FieldMessage>>>({});
  const ids = { url: useId(), clientId: useId(), secret: useId(), hint: useId(), error: useId() };
  const err = (field: BackendField) => `${ids.error}-${field}`;

  /** What the form can tell before asking main: required fields. The URL policy is main's (its own codes). */
  const check = (): Partial<Record<BackendField, FieldMessage>> => {
    if (mode === 'simulator') return {};
    const found: Partial<Record<BackendField, FieldMessage>> = {};
    if (!url.trim()) found.url = { key: 'settings.errors.required', params: { field: t('settings.url') } };
    if (!clientId.trim()) found.clientId = { key: 'settings.errors.required', params: { field: t('settings.clientId') } };
    if (!secret && !settings.backend.hasSecret)
      found.clientSecret = { key: 'settings.errors.required', params: { field: t('settings.clientSecret') } };
    return found;
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = check();
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    void recordsActions
      .saveBackend(
        mode === 'simulator' ? { mode } : { mode, url: url.trim(), clientId: clientId.trim(), ...(secret ? { clientSecret: secret } : {}) },
      )
      .then((error) => {
        if (error) {
          setErrors({ [fieldOf(error.code, error.params)]: error });
          return;
        }
        setSecret('');
        return appActions.load();
      });
  };
  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="backend-title" noValidate>
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
          <div className="field-cell">
            <input
              id={ids.url}
              type="url"
              required
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="https://"
              {...invalidProps(err('url'), errors.url)}
            />
            <FieldError id={err('url')} message={errors.url} />
          </div>
          <label htmlFor={ids.clientId}>{t('settings.clientId')}</label>
          <div className="field-cell">
            <input
              id={ids.clientId}
              required
              value={clientId}
              onChange={(e) => setClientId(e.target.value)}
              autoComplete="off"
              {...invalidProps(err('clientId'), errors.clientId)}
            />
            <FieldError id={err('clientId')} message={errors.clientId} />
          </div>
          <label htmlFor={ids.secret}>{t('settings.clientSecret')}</label>
          <div className="field-cell">
            <input
              id={ids.secret}
              type="password"
              autoComplete="new-password"
              value={secret}
              required={!settings.backend.hasSecret}
              placeholder={settings.backend.hasSecret ? t('settings.secretStored') : ''}
              onChange={(e) => setSecret(e.target.value)}
              {...invalidProps(err('clientSecret'), errors.clientSecret, ids.hint)}
            />
            <FieldError id={err('clientSecret')} message={errors.clientSecret} />
            <span id={ids.hint} className="muted small">
              {t('settings.secretHint')}
            </span>
          </div>
        </div>
      )}
      <FieldError id={err('form')} message={errors.form} />
      <div className="toolbar">
        <button type="submit" className="primary" disabled={busy}>
          {t('common.save')}
        </button>
        <ConnectionTest disabled={busy} />
      </div>
    </form>
  );
}
