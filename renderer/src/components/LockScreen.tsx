import type { LockStatus } from '@shared/contract';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../i18n';
import { lockActions, useLockBusy, useLockError, useLockProgress } from '../state/lock';
import { ErrorMessage } from './ErrorMessage';

/**
 * What the window shows while locked: no order, name or file, only how to unlock and the running sync's counts.
 * The data screens are not mounted (the page was reloaded when it locked), and main refuses their channels.
 */
export function LockScreen({ status }: { status: LockStatus }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const busy = useLockBusy();
  const error = useLockError();
  const progress = useLockProgress();
  const [passphrase, setPassphrase] = useState('');
  const ids = { title: useId(), passphrase: useId(), hint: useId() };
  const field = useRef<HTMLInputElement>(null);
  const withPassphrase = status.methods.includes('passphrase');

  useEffect(() => {
    field.current?.focus();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void lockActions.unlock({ method: 'passphrase', passphrase }).then((ok) => {
      setPassphrase('');
      if (!ok) field.current?.focus();
    });
  };
  const running = progress && (progress.state === 'running' || progress.state === 'paused' || progress.state === 'cancelling');
  const counts = progress && {
    done: formatCount(progress.done, locale),
    failed: formatCount(progress.failed, locale),
    review: formatCount(progress.needsReview, locale),
    total: formatCount(progress.total, locale),
  };

  return (
    <main className="lock-screen content" aria-labelledby={ids.title}>
      <div className="panel lock-panel">
        <h1 id={ids.title}>{t('lock.title')}</h1>
        <p>{t('lock.explain')}</p>
        {withPassphrase && (
          <form className="lock-form" onSubmit={submit}>
            <label htmlFor={ids.passphrase}>{t('lock.passphrase')}</label>
            <input
              ref={field}
              id={ids.passphrase}
              type="password"
              autoComplete="current-password"
              value={passphrase}
              required
              onChange={(e) => setPassphrase(e.target.value)}
            />
            <button type="submit" className="primary" disabled={busy}>
              {t('lock.unlock')}
            </button>
          </form>
        )}
        {status.methods.includes('os') && (
          <button
            type="button"
            className={withPassphrase ? undefined : 'primary'}
            disabled={busy}
            onClick={() => void lockActions.unlock({ method: 'os' })}
          >
            {t('lock.unlockOs')}
          </button>
        )}
        {status.methods.includes('none') && (
          <>
            <p id={ids.hint} className="muted small">
              {t('lock.noPassphrase')}
            </p>
            <button
              type="button"
              className="primary"
              aria-describedby={ids.hint}
              disabled={busy}
              onClick={() => void lockActions.unlock({ method: 'none' })}
            >
              {t('lock.unlock')}
            </button>
          </>
        )}
        <ErrorMessage error={error} />
        <p className="muted small" role="status">
          {running && counts ? t(progress.state === 'paused' ? 'lock.syncPaused' : 'lock.syncRunning', counts) : ''}
        </p>
      </div>
    </main>
  );
}
