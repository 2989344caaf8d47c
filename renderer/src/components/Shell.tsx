import type { Locale } from '@shared/contract';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { appActions, type Screen, useAppError, useAppInfo, useLocale, useOnline, useScreen } from '../state/app';
import { ErrorMessage } from './ErrorMessage';

const SCREENS: readonly Screen[] = ['batches', 'import', 'review', 'sync', 'history', 'masters', 'settings'];

export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const info = useAppInfo();
  const screen = useScreen();
  const online = useOnline();
  const locale = useLocale();
  const error = useAppError();

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            OS
          </span>
          <div>
            <div className="brand-name">{t('app.name')}</div>
            <div className="brand-tagline">{t('app.tagline')}</div>
          </div>
        </div>
        <nav aria-label={t('nav.label')}>
          <ul>
            {SCREENS.map((name) => (
              <li key={name}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={screen === name ? 'page' : undefined}
                  onClick={() => appActions.setScreen(name)}
                >
                  {t(`nav.${name}`)}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        {info && <div className="sidebar-footer">{t('app.version', { version: info.version })}</div>}
      </aside>
      <div className="main-column">
        <header className="topbar">
          <div className="chips">
            {info && (
              <span className={`chip ${info.backend.mode === 'simulator' ? 'chip-demo' : 'chip-remote'}`}>
                {info.backend.mode === 'simulator' ? t('app.demoMode') : t('app.remoteMode')}
              </span>
            )}
            {info?.store.encrypted && <span className="chip chip-secure">{t('app.encrypted', { cipher: info.store.cipher })}</span>}
            <span className={`chip ${online ? 'chip-online' : 'chip-offline'}`} role="status">
              {online ? t('app.online') : t('app.offline')}
            </span>
          </div>
          <label className="language">
            <span>{t('language.label')}</span>
            <select value={locale} onChange={(event) => void appActions.setLocale(event.target.value as Locale)}>
              <option value="ja">{t('language.ja')}</option>
              <option value="en">{t('language.en')}</option>
            </select>
          </label>
        </header>
        <main className="content">
          <ErrorMessage error={error} />
          {children}
        </main>
      </div>
    </div>
  );
}
