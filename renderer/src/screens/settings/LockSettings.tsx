import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { lockActions, useLockBusy, useLockError, useLockStatus } from '../../state/lock';

/** The idle lock: on/off and minutes, the passphrase (set, change, remove: the current one is asked once set), lock now. */
export function LockSettings() {
  const { t } = useTranslation();
  const status = useLockStatus();
  const busy = useLockBusy();
  const error = useLockError();
  const [enabled, setEnabled] = useState(status?.enabled ?? true);
  const [minutes, setMinutes] = useState(String(status?.idleMinutes ?? 10));
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [said, setSaid] = useState<string | null>(null);
  const ids = { title: useId(), enabled: useId(), minutes: useId(), pass: useId(), current: useId(), next: useId(), again: useId() };
  if (!status) return null;

  const done =
    (key: string, clear = false) =>
    (ok: boolean) => {
      setSaid(ok ? key : null);
      if (ok && clear) {
        setCurrent('');
        setNext('');
        setAgain('');
      }
    };
  const saveSettings = (event: FormEvent) => {
    event.preventDefault();
    void lockActions.saveSettings({ enabled, idleMinutes: Number(minutes) }).then(done('lock.saved'));
  };
  const mismatch = next !== again;
  const savePassphrase = (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    void lockActions.setPassphrase({ ...(status.passphraseSet ? { current } : {}), next }).then(done('lock.passphraseSaved', true));
  };
  const removePassphrase = () => {
    void lockActions.setPassphrase({ current, next: null }).then(done('lock.passphraseRemoved', true));
  };

  return (
    <section className="panel form lock-settings" aria-labelledby={ids.title}>
      <h2 id={ids.title}>{t('lock.settingsTitle')}</h2>
      <p className="muted small">{t('lock.settingsIntro')}</p>
      <form className="form-grid" onSubmit={saveSettings}>
        <label htmlFor={ids.enabled}>{t('lock.enabled')}</label>
        <input id={ids.enabled} type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        <label htmlFor={ids.minutes}>{t('lock.idleMinutes')}</label>
        <input
          id={ids.minutes}
          type="number"
          min={1}
          max={240}
          required
          className="narrow"
          value={minutes}
          disabled={!enabled}
          onChange={(e) => setMinutes(e.target.value)}
        />
        <span />
        <span className="lock-buttons">
          <button type="submit" disabled={busy}>
            {t('common.save')}
          </button>
        </span>
      </form>
      <h3 id={ids.pass}>{t('lock.passphraseTitle')}</h3>
      <p className="muted small">{t(status.passphraseSet ? 'lock.passphraseSet' : 'lock.passphraseNotSet')}</p>
      <form className="form-grid" aria-labelledby={ids.pass} onSubmit={savePassphrase}>
        {status.passphraseSet && (
          <>
            <label htmlFor={ids.current}>{t('lock.current')}</label>
            <input
              id={ids.current}
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          </>
        )}
        <label htmlFor={ids.next}>{t('lock.next')}</label>
        <input id={ids.next} type="password" autoComplete="new-password" required value={next} onChange={(e) => setNext(e.target.value)} />
        <label htmlFor={ids.again}>{t('lock.confirm')}</label>
        <input
          id={ids.again}
          type="password"
          autoComplete="new-password"
          required
          value={again}
          aria-invalid={mismatch && again !== '' ? true : undefined}
          onChange={(e) => setAgain(e.target.value)}
        />
        <span />
        <span className="lock-buttons">
          <button type="submit" disabled={busy || mismatch}>
            {t('lock.setPassphrase')}
          </button>
          {status.passphraseSet && (
            <button type="button" disabled={busy} onClick={removePassphrase}>
              {t('lock.removePassphrase')}
            </button>
          )}
        </span>
      </form>
      {mismatch && again !== '' && <p className="error">{t('lock.mismatch')}</p>}
      <ErrorMessage error={error} />
      <p className="notice" role="status" hidden={!said}>
        {said ? t(said) : ''}
      </p>
      <button type="button" onClick={() => void lockActions.lockNow()}>
        {t('lock.lockNow')}
      </button>
    </section>
  );
}
