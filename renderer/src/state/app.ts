import type { AppInfo, BatchSummary, Locale } from '@shared/contract';
import type { ErrorInfo } from '@shared/errors';
import { create } from 'zustand';
import { i18n } from '../i18n';
import { call, errorInfo } from '../ipc';

export type Screen = 'batches' | 'import' | 'sync' | 'history' | 'settings';

interface AppState {
  status: 'loading' | 'ready' | 'error';
  info: AppInfo | null;
  batches: BatchSummary[];
  screen: Screen;
  online: boolean;
  error: ErrorInfo | null;
  load(): Promise<void>;
  refreshBatches(): Promise<void>;
  setLocale(locale: Locale): Promise<void>;
  setScreen(screen: Screen): void;
  setOnline(online: boolean): void;
}

const useAppStore = create<AppState>()((set) => ({
  status: 'loading',
  info: null,
  batches: [],
  screen: 'batches',
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  error: null,
  async load() {
    try {
      const [info, batches] = await Promise.all([call('getAppInfo'), call('listBatches')]);
      await i18n.changeLanguage(info.locale);
      set({ info, batches, status: 'ready', error: null });
    } catch (error) {
      set({ status: 'error', error: errorInfo(error) });
    }
  },
  async refreshBatches() {
    try {
      set({ batches: await call('listBatches') });
    } catch (error) {
      set({ error: errorInfo(error) });
    }
  },
  async setLocale(locale) {
    try {
      await call('setLocale', { locale });
      await i18n.changeLanguage(locale);
      set((state) => ({ info: state.info ? { ...state.info, locale } : state.info }));
    } catch (error) {
      set({ error: errorInfo(error) });
    }
  },
  setScreen: (screen) => set({ screen }),
  setOnline: (online) => set({ online }),
}));

// Typed selector hooks: components never reach into the store shape directly.
export const useStatus = () => useAppStore((s) => s.status);
export const useAppInfo = () => useAppStore((s) => s.info);
export const useBatches = () => useAppStore((s) => s.batches);
export const useScreen = () => useAppStore((s) => s.screen);
export const useOnline = () => useAppStore((s) => s.online);
export const useAppError = () => useAppStore((s) => s.error);
export const useLocale = () => useAppStore((s) => s.info?.locale ?? 'ja');
export const appActions = {
  load: () => useAppStore.getState().load(),
  refreshBatches: () => useAppStore.getState().refreshBatches(),
  setLocale: (locale: Locale) => useAppStore.getState().setLocale(locale),
  setScreen: (screen: Screen) => useAppStore.getState().setScreen(screen),
  setOnline: (online: boolean) => useAppStore.getState().setOnline(online),
};
