import type { AppInfo, BatchSummary, Locale } from '@shared/contract';
import type { ErrorInfo } from '@shared/errors';
import { create } from 'zustand';
import { i18n } from '../i18n';
import { call, errorInfo } from '../ipc';

export type Screen = 'batches' | 'import' | 'review' | 'sync' | 'history' | 'masters' | 'settings';

interface AppState {
  status: 'loading' | 'ready' | 'error';
  info: AppInfo | null;
  batches: BatchSummary[];
  screen: Screen;
  /** The batch the review grid and the sync dashboard work on. */
  batchId: number | null;
  online: boolean;
  error: ErrorInfo | null;
  load(): Promise<void>;
  refreshBatches(): Promise<void>;
  setLocale(locale: Locale): Promise<void>;
  setScreen(screen: Screen): void;
  openBatch(batchId: number, screen?: Screen): void;
  markReady(batchId: number, ready: boolean): Promise<void>;
  setOnline(online: boolean): void;
}

const useAppStore = create<AppState>()((set) => ({
  status: 'loading',
  info: null,
  batches: [],
  screen: 'batches',
  batchId: null,
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
  openBatch: (batchId, screen = 'review') => set({ batchId, screen }),
  async markReady(batchId, ready) {
    try {
      await call('markReady', { batchId, ready });
      set({ batches: await call('listBatches') });
    } catch (error) {
      set({ error: errorInfo(error) });
    }
  },
  setOnline: (online) => set({ online }),
}));

// Typed selector hooks: components never reach into the store shape directly.
export const useStatus = () => useAppStore((s) => s.status);
export const useAppInfo = () => useAppStore((s) => s.info);
export const useBatches = () => useAppStore((s) => s.batches);
export const useScreen = () => useAppStore((s) => s.screen);
/** The chosen batch, or the newest one when none was chosen (or the chosen one is gone). */
export const useCurrentBatch = () => useAppStore((s) => s.batches.find((b) => b.id === s.batchId) ?? s.batches[0] ?? null);
export const useOnline = () => useAppStore((s) => s.online);
export const useAppError = () => useAppStore((s) => s.error);
export const useLocale = () => useAppStore((s) => s.info?.locale ?? 'ja');
export const appActions = {
  load: () => useAppStore.getState().load(),
  refreshBatches: () => useAppStore.getState().refreshBatches(),
  setLocale: (locale: Locale) => useAppStore.getState().setLocale(locale),
  setScreen: (screen: Screen) => useAppStore.getState().setScreen(screen),
  openBatch: (batchId: number, screen?: Screen) => useAppStore.getState().openBatch(batchId, screen),
  markReady: (batchId: number, ready: boolean) => useAppStore.getState().markReady(batchId, ready),
  setOnline: (online: boolean) => useAppStore.getState().setOnline(online),
};
