import { type ComponentType, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmHost } from './components/ConfirmDialog';
import { Shell } from './components/Shell';
import { subscribe } from './ipc';
import { BatchesScreen } from './screens/BatchesScreen';
import { HistoryScreen } from './screens/HistoryScreen';
import { ImportScreen } from './screens/ImportScreen';
import { MastersScreen } from './screens/MastersScreen';
import { ReviewScreen } from './screens/ReviewScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { SyncScreen } from './screens/SyncScreen';
import { appActions, type Screen, useAppError, useLocale, useScreen, useStatus } from './state/app';
import { importActions } from './state/import';

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
  const { t } = useTranslation();

  useEffect(() => {
    void appActions.load();
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
    document.getElementById('root')?.setAttribute('data-app-state', status);
  }, [status]);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  if (status === 'loading') {
    return (
      <p className="splash" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (status === 'error' && error) {
    return (
      <div className="splash" role="alert">
        <h1>{t('errors.title')}</h1>
        <p>{t(`errors.${error.code}`, error.params)}</p>
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
