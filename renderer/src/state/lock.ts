import type { Input, LockStatus, SyncProgress } from '@shared/contract';
import type { ErrorInfo } from '@shared/errors';
import { create } from 'zustand';
import { i18n } from '../i18n';
import { call, errorInfo } from '../ipc';

/**
 * The window lock as main holds it. Locking reloads the page: every store, cache and undo history holding
 * personal data goes with the old document (not a CSS cover), and the new one starts on the lock screen,
 * which calls only the channels main leaves open while locked. Where staff were (screen and batch, no
 * personal data) is kept in sessionStorage and restored after unlocking.
 */

const PLACE_KEY = 'order-stager.place';

export interface Place {
  screen: string;
  batchId: number | null;
}

interface LockState {
  status: LockStatus | null;
  busy: boolean;
  error: ErrorInfo | null;
  /** The running sync's counts, for the lock screen. */
  progress: SyncProgress | null;
}

const useLockStore = create<LockState>()(() => ({ status: null, busy: false, error: null, progress: null }));

/** Where staff are, asked for when the page is about to lock (set by the app store's owner). */
let currentPlace: () => Place | null = () => null;

function lockPage(): void {
  const place = currentPlace();
  if (place) sessionStorage.setItem(PLACE_KEY, JSON.stringify(place));
  window.location.reload();
}

let lastReport = 0;

/** A new status from main: locking reloads the page (see above), anything else is just shown. */
function apply(status: LockStatus): void {
  if (status.locked && !useLockStore.getState().status?.locked) lockPage();
  else useLockStore.setState({ status });
}

async function run(work: () => Promise<LockStatus>): Promise<boolean> {
  useLockStore.setState({ busy: true, error: null });
  try {
    const status = await work();
    useLockStore.setState({ busy: false });
    apply(status);
    return true;
  } catch (error) {
    useLockStore.setState({ busy: false, error: errorInfo(error) });
    return false;
  }
}

export const useLockStatus = () => useLockStore((s) => s.status);
export const useLockBusy = () => useLockStore((s) => s.busy);
export const useLockError = () => useLockStore((s) => s.error);
export const useLockProgress = () => useLockStore((s) => s.progress);

export const lockActions = {
  /** The lock's state and the app's language (both open while locked), before anything else is asked. */
  async load(): Promise<void> {
    try {
      const [status, info] = await Promise.all([call('getLockStatus'), call('getAppInfo')]);
      await i18n.changeLanguage(info.locale);
      useLockStore.setState({ status });
      if (status.locked) {
        const sync = await call('getSyncStatus');
        useLockStore.setState({ progress: sync.progress });
      }
    } catch (error) {
      useLockStore.setState({ error: errorInfo(error), status: null });
    }
  },
  /** Main says the lock changed (idle, by hand, the OS, another call found it locked). */
  changed(status: LockStatus): void {
    apply(status);
  },
  /** A call answered LOCKED: the page locks as if told so. */
  refused(): void {
    if (!useLockStore.getState().status?.locked) lockPage();
  },
  progress(progress: SyncProgress): void {
    useLockStore.setState({ progress });
  },
  /** Input seen: tells main, at most a few times per idle period. */
  activity(): void {
    const status = useLockStore.getState().status;
    if (!status || status.locked) return;
    const now = Date.now();
    if (now - lastReport < Math.min(15_000, status.idleMs / 4)) return;
    lastReport = now;
    void call('reportActivity').catch(() => undefined);
  },
  unlock(input: Input<'unlock'>): Promise<boolean> {
    return run(() => call('unlock', input));
  },
  lockNow(): Promise<boolean> {
    return run(() => call('lockNow'));
  },
  saveSettings(input: Input<'saveLockSettings'>): Promise<boolean> {
    return run(() => call('saveLockSettings', input));
  },
  setPassphrase(input: Input<'setPassphrase'>): Promise<boolean> {
    return run(() => call('setPassphrase', input));
  },
  clearError(): void {
    useLockStore.setState({ error: null });
  },
  /** Lets the page remember where staff are when it locks. */
  trackPlace(place: () => Place | null): void {
    currentPlace = place;
  },
  /** Where staff were when the page locked, once (then forgotten). */
  takePlace(): Place | null {
    const saved = sessionStorage.getItem(PLACE_KEY);
    sessionStorage.removeItem(PLACE_KEY);
    if (!saved) return null;
    try {
      return JSON.parse(saved) as Place;
    } catch {
      return null;
    }
  },
};
