import type { AuditRow, Input, Output, SettingsView, SyncLimits } from '@shared/contract';
import type { ErrorInfo } from '@shared/errors';
import { create } from 'zustand';
import { call, errorInfo } from '../ipc';
import { appActions } from './app';

const AUDIT_PAGE = 100;

interface RecordsState {
  audit: AuditRow[];
  auditTotal: number;
  actions: string[];
  auditFilter: { batchId?: number; action?: string };
  /** The last check of the chain, and when it ran (shown, so staff see it is current). */
  verification: (Output<'verifyAudit'> & { checkedAt: string }) | null;
  settings: SettingsView | null;
  /** An i18n key and its parameters for the last completed action (export written, settings saved...). */
  notice: { key: string; params: Record<string, string | number> } | null;
  busy: boolean;
  error: ErrorInfo | null;
}

const useRecordsStore = create<RecordsState>()(() => ({
  audit: [],
  auditTotal: 0,
  actions: [],
  auditFilter: {},
  verification: null,
  settings: null,
  notice: null,
  busy: false,
  error: null,
}));

/** Runs an action with a busy flag; errors become a translated message, never an exception in the UI. */
async function run<T>(action: () => Promise<T>, notice?: (value: T) => RecordsState['notice']): Promise<void> {
  useRecordsStore.setState({ busy: true, error: null, notice: null });
  try {
    const value = await action();
    useRecordsStore.setState({ busy: false, notice: notice?.(value) ?? null });
  } catch (error) {
    useRecordsStore.setState({ busy: false, error: errorInfo(error) });
  }
}

/**
 * A settings save whose error belongs to its form: returned to the form, which shows it at the field (or
 * beside its save button), never at the top of the page.
 */
async function save(action: () => Promise<SettingsView>, notice: string): Promise<ErrorInfo | null> {
  useRecordsStore.setState({ busy: true, error: null, notice: null });
  try {
    const settings = await action();
    useRecordsStore.setState({ busy: false, settings, notice: { key: notice, params: {} } });
    return null;
  } catch (error) {
    useRecordsStore.setState({ busy: false });
    return errorInfo(error);
  }
}

async function loadAudit(offset: number): Promise<void> {
  const { auditFilter } = useRecordsStore.getState();
  const page = await call('listAudit', { ...auditFilter, offset, limit: AUDIT_PAGE });
  useRecordsStore.setState((s) => ({
    audit: offset === 0 ? page.rows : [...s.audit, ...page.rows],
    auditTotal: page.total,
    actions: page.actions,
  }));
}

async function check(): Promise<void> {
  const verification = await call('verifyAudit');
  useRecordsStore.setState({ verification: { ...verification, checkedAt: new Date().toISOString() } });
}

/** A check on screen is run again after the log grew, so that it never speaks of an older log. */
async function reverify(): Promise<void> {
  if (useRecordsStore.getState().verification) await check();
}

export const useAudit = () => useRecordsStore((s) => s.audit);
export const useAuditTotal = () => useRecordsStore((s) => s.auditTotal);
export const useAuditActions = () => useRecordsStore((s) => s.actions);
export const useAuditFilter = () => useRecordsStore((s) => s.auditFilter);
export const useVerification = () => useRecordsStore((s) => s.verification);
export const useSettings = () => useRecordsStore((s) => s.settings);
export const useRecordsNotice = () => useRecordsStore((s) => s.notice);
export const useRecordsBusy = () => useRecordsStore((s) => s.busy);
export const useRecordsError = () => useRecordsStore((s) => s.error);

export const recordsActions = {
  loadAudit: () => run(() => loadAudit(0)),
  moreAudit: () => run(() => loadAudit(useRecordsStore.getState().audit.length)),
  filterAudit(filter: RecordsState['auditFilter']) {
    useRecordsStore.setState({ auditFilter: filter });
    return run(() => loadAudit(0));
  },
  verify: () => run(check),
  /** The history screen shown again, or entries written meanwhile (a sync, an import, an edit): list and check again. */
  refreshAudit: () =>
    run(async () => {
      await loadAudit(0);
      await reverify();
    }),
  exportBatch: (input: Input<'exportBatch'>) =>
    run(
      async () => {
        const result = await call('exportBatch', input);
        await loadAudit(0);
        await reverify();
        return result;
      },
      (result) => (result.saved ? { key: 'history.exported', params: { file: result.saved.fileName, rows: result.saved.rows } } : null),
    ),
  reimport: (batchId: number) =>
    run(
      async () => {
        const { result } = await call('reimportBatch', { batchId });
        await Promise.all([loadAudit(0), appActions.refreshBatches()]);
        await reverify();
        return result;
      },
      (result) =>
        result
          ? {
              key: result.zerosRestored > 0 ? 'history.reimportedZeros' : 'history.reimported',
              params: { ...result, file: result.fileName },
            }
          : null,
    ),
  loadSettings: () =>
    run(async () => {
      useRecordsStore.setState({ settings: await call('getSettings') });
    }),
  saveBackend: (input: Input<'saveBackend'>) => save(() => call('saveBackend', input), 'settings.savedBackend'),
  saveLimits: (limits: SyncLimits) => save(() => call('saveLimits', limits), 'settings.savedLimits'),
  saveSchedule: (cron: string | null) => save(() => call('saveSchedule', { cron }), 'settings.savedSchedule'),
  saveRetention: (days: number | null) => save(() => call('saveRetention', { days }), 'settings.savedRetention'),
  /** The connection test's answer, or why it could not run (settings that cannot work): shown by the form. */
  async testConnection(): Promise<Output<'testConnection'> | ErrorInfo> {
    try {
      return await call('testConnection');
    } catch (error) {
      return errorInfo(error);
    }
  },
  saveUpdateUrl: (url: string | null) =>
    run(
      async () => useRecordsStore.setState({ settings: await call('saveUpdateUrl', { url }) }),
      () => ({ key: 'settings.savedUpdates', params: {} }),
    ),
  purgeNow: () =>
    run(
      () => call('purgeNow'),
      ({ orders, held, customers }) => ({
        key: customers > 0 ? 'settings.purgedCustomers' : 'settings.purged',
        params: { orders, held, customers },
      }),
    ),
  backup: () =>
    run(
      () => call('backupStore'),
      (result) => (result.saved ? { key: 'settings.backedUp', params: { file: result.saved.fileName } } : null),
    ),
  restore: () =>
    run(
      () => call('restoreStore'),
      (result) => (result.restoring ? { key: 'settings.restoring', params: {} } : null),
    ),
  clearNotice: () => useRecordsStore.setState({ notice: null, error: null }),
};
