import { type ComponentType, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmHost } from './components/ConfirmDialog';
import { Shell } from './components/Shell';
import { LockScreen } from './components/LockScreen';
import { onLockedAnswer, subscribe } from './ipc';
import { BatchesScreen } from './screens/BatchesScreen';
import { HistoryScreen } from './screens/HistoryScreen';
import { ImportScreen } from './screens/ImportScreen';
import { MastersScreen } from './screens/MastersScreen';
import { ReviewScreen } from './screens/ReviewScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { SyncScreen } from './screens/SyncScreen';
import { appActions, type Screen, useAppError, useCurrentBatch, useLocale, useScreen, useStatus } from './state/app';
import { importActions } from './state/import';
import { lockActions, useLockError, useLockStatus } from './state/lock';

const SCREENS: Record<Screen, ComponentType> = {
  batches: BatchesScreen,
  import: ImportScreen,
  review: ReviewScreen,
  sync: SyncScreen,
  history: HistoryScreen,
  masters: MastersScreen,
  settings: SettingsScreen,
};

export function App() {
  const status = useStatus();
  const screen = useScreen();
  const locale = useLocale();
  const error = useAppError();
  const lockError = useLockError();
  const { t, i18n } = useTranslation();
  const lock = useLockStatus();
  const locked = lock?.locked ?? null;
  const batchId = useCurrentBatch()?.id ?? null;
  const place = useRef({ screen: screen as string, batchId });
  place.current = { screen, batchId };

  // The lock first: while locked only the lock screen shows, and nothing with personal data is asked for.
  useEffect(() => {
    onLockedAnswer(lockActions.refused);
    lockActions.trackPlace(() => place.current);
    void lockActions.load();
    const offLock = subscribe('lockChanged', lockActions.changed);
    const offProgress = subscribe('syncProgress', lockActions.progress);
    const activity = () => lockActions.activity();
    const inputs = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;
    for (const name of inputs) window.addEventListener(name, activity, { passive: true });
    return () => {
      offLock();
      offProgress();
      for (const name of inputs) window.removeEventListener(name, activity);
    };
  }, []);

  useEffect(() => {
    if (locked !== false) return;
    // Unlocked (or never locked): load the app, then go back to where staff were when it locked.
    void appActions.load().then(() => {
      const before = lockActions.takePlace();
      if (before?.batchId) appActions.openBatch(before.batchId, before.screen as Screen);
      else if (before) appActions.setScreen(before.screen as Screen);
    });
  }, [locked]);

  useEffect(() => {
    const unsubscribe = subscribe('batchesChanged', () => void appActions.refreshBatches());
    const unsubscribeImport = subscribe('importRequested', (file) => {
      appActions.setScreen('import');
      void importActions.requested(file);
    });
    const online = () => appActions.setOnline(true);
    const offline = () => appActions.setOnline(false);
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    return () => {
      unsubscribe();
      unsubscribeImport();
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
    };
  }, []);

  // The ready signal end-to-end tests wait for, and the document language for screen readers.
  useEffect(() => {
    document.getElementById('root')?.setAttribute('data-app-state', locked ? 'locked' : status);
  }, [status, locked]);
  const language = locked ? i18n.language : locale;
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  if (lock?.locked) return <LockScreen status={lock} />;
  const failure = status === 'error' ? error : lock === null ? lockError : null;
  if (status === 'loading' && !failure) {
    return (
      <p className="splash" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (failure) {
    return (
      <div className="splash" role="alert">
        <h1>{t('errors.title')}</h1>
        <p>{t(`errors.${failure.code}`, failure.params)}</p>
      </div>
    );
  }
  const Current = SCREENS[screen];
  return (
    <Shell>
      <Current />
      <ConfirmHost />
    </Shell>
  );
}
