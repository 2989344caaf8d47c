import { z } from 'zod';
import { BatchOverview, BatchSummary, LinePage, LineQuery, LineRow } from './batches';
import { BulkEditInput, BulkEditOutcome, MatchInput, MatchOutcome } from './bulk';
import { FieldName, ImportFile, ImportOutcome, ImportPreview, ImportSettings } from './import';
import {
  ApplySuggestionInput,
  MasterImportOutcome,
  MasterListInfo,
  MasterListName,
  MasterRow,
  MasterSearch,
  MasterShowList,
  RevalidationSummary,
} from './masters';
import { LockSettingsInput, LockStatus, PassphraseChange, UnlockInput } from './lock';
import { AuditCheck, AuditRow } from './records';
import { AppInfo, BackendUrl, ConnectionResult, Locale, SettingsView } from './settings';
import { SyncFailure, SyncLimits, SyncPreview, SyncProgress, SyncRunInput, SyncStatus } from './sync';

/** Every channel the renderer may call, with its input and output schema, and every event main pushes. */

const NoInput = z.undefined();
const Ok = z.object({ ok: z.literal(true) });

export const channels = {
  getAppInfo: { channel: 'app:info', input: NoInput, output: AppInfo },
  setLocale: { channel: 'app:set-locale', input: z.object({ locale: Locale }), output: z.object({ locale: Locale }) },
  listBatches: { channel: 'batches:list', input: NoInput, output: z.array(BatchSummary) },
  startSync: { channel: 'sync:start', input: SyncRunInput, output: z.object({ started: z.literal(true) }) },
  /** What a run would take on (orders, yen, backend host, ETA from the limits), for staff to confirm. */
  previewSync: { channel: 'sync:preview', input: SyncRunInput, output: SyncPreview },
  pauseSync: { channel: 'sync:pause', input: NoInput, output: Ok },
  resumeSync: { channel: 'sync:resume', input: NoInput, output: Ok },
  cancelSync: { channel: 'sync:cancel', input: NoInput, output: Ok },
  getSyncStatus: { channel: 'sync:status', input: NoInput, output: SyncStatus },
  pickImportFile: { channel: 'import:pick', input: NoInput, output: z.object({ file: ImportFile.nullable() }) },
  /**
   * A file dropped on the window. Preload-only (see preloadOnlyMethods): the preload resolves the dropped File
   * to its path with Electron's webUtils and calls this; the page never names a path. Main accepts only an
   * existing regular spreadsheet file outside the app's own folders, and answers with an id.
   */
  addDroppedFile: { channel: 'import:dropped', input: z.object({ path: z.string().min(1).max(4096) }), output: ImportFile },
  previewImport: { channel: 'import:preview', input: ImportSettings, output: ImportPreview },
  /** Staff left the wizard without importing: main drops the file and its parsed rows. */
  closeImportFile: { channel: 'import:close', input: z.object({ fileId: z.string().min(1).max(100) }), output: Ok },
  runImport: {
    channel: 'import:run',
    input: ImportSettings.extend({ saveTemplateAs: z.string().trim().min(1).max(100).optional() }),
    output: ImportOutcome,
  },
  queryLines: { channel: 'review:lines', input: LineQuery, output: LinePage },
  batchOverview: { channel: 'review:overview', input: z.object({ batchId: z.number().int().positive() }), output: BatchOverview },
  editField: {
    channel: 'review:edit',
    input: z.object({
      batchId: z.number().int().positive(),
      orderRef: z.string().min(1).max(200),
      field: FieldName,
      value: z.string().max(2000),
      row: z.number().int().positive().optional(),
    }),
    output: z.object({ valid: z.boolean(), issues: z.array(z.object({ row: z.number().int(), field: z.string(), code: z.string() })) }),
  },
  setExcluded: {
    channel: 'review:exclude',
    input: z.object({
      batchId: z.number().int().positive(),
      orderRefs: z.array(z.string().min(1).max(200)).min(1).max(10_000),
      excluded: z.boolean(),
    }),
    output: z.object({ changed: z.number().int() }),
  },
  /** Many cells as one change (set for a selection or filter, fill-down, replace, paste, undo/redo): one audit entry. */
  editMany: { channel: 'review:edit-many', input: BulkEditInput, output: BulkEditOutcome },
  /** The lines whose field contains a text, under the grid's filter: find & replace's preview and "set for the filter". */
  matchField: { channel: 'review:match', input: MatchInput, output: MatchOutcome },
  markReady: {
    channel: 'batches:ready',
    input: z.object({ batchId: z.number().int().positive(), ready: z.boolean() }),
    output: Ok,
  },
  /** A corrected error file back into its batch (OS dialog in main); null when staff cancelled. */
  reimportBatch: {
    channel: 'batches:reimport',
    input: z.object({ batchId: z.number().int().positive() }),
    output: z.object({
      result: z
        .object({
          fileName: z.string(),
          updated: z.number().int(),
          valid: z.number().int(),
          invalid: z.number().int(),
          notInBatch: z.number().int(),
          locked: z.number().int(),
        })
        .nullable(),
    }),
  },
  listAudit: {
    channel: 'audit:list',
    input: z.object({
      batchId: z.number().int().positive().optional(),
      action: z.string().max(60).optional(),
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(500),
    }),
    output: z.object({ total: z.number().int(), rows: z.array(AuditRow), actions: z.array(z.string()) }),
  },
  verifyAudit: { channel: 'audit:verify', input: NoInput, output: AuditCheck },
  exportBatch: {
    channel: 'export:batch',
    input: z.object({
      batchId: z.number().int().positive(),
      kind: z.enum(['errors', 'success']),
      format: z.enum(['csv', 'xlsx']),
      encoding: z.enum(['utf-8', 'shift_jis']).optional(),
    }),
    /** null when staff cancelled the save dialog. */
    output: z.object({ saved: z.object({ fileName: z.string(), rows: z.number().int() }).nullable() }),
  },
  getSettings: { channel: 'settings:get', input: NoInput, output: SettingsView },
  saveBackend: {
    channel: 'settings:backend',
    input: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('simulator') }),
      z.object({
        mode: z.literal('remote'),
        url: BackendUrl,
        clientId: z.string().trim().min(1).max(200),
        /** Write-only: omitted keeps the stored secret. */
        clientSecret: z.string().min(1).max(2000).optional(),
      }),
    ]),
    output: SettingsView,
  },
  saveLimits: { channel: 'settings:limits', input: SyncLimits, output: SettingsView },
  /** Reaches the configured backend, gets a token and makes one harmless look-up; changes nothing. */
  testConnection: { channel: 'settings:test-connection', input: NoInput, output: ConnectionResult },
  saveSchedule: { channel: 'settings:schedule', input: z.object({ cron: z.string().trim().max(100).nullable() }), output: SettingsView },
  saveRetention: {
    channel: 'settings:retention',
    input: z.object({ days: z.number().int().min(1).max(3650).nullable() }),
    output: SettingsView,
  },
  /** Where the app looks for updates (electron-updater, generic provider); null turns updates off (the default). */
  saveUpdateUrl: { channel: 'settings:update-url', input: z.object({ url: BackendUrl.nullable() }), output: SettingsView },
  purgeNow: {
    channel: 'settings:purge',
    input: NoInput,
    output: z.object({ orders: z.number().int(), batches: z.number().int(), held: z.number().int(), inSync: z.number().int() }),
  },
  backupStore: { channel: 'settings:backup', input: NoInput, output: z.object({ saved: z.object({ fileName: z.string() }).nullable() }) },
  /** Checks a backup with the store key, then the app restarts on it (the current store is kept aside). */
  restoreStore: { channel: 'settings:restore', input: NoInput, output: z.object({ restoring: z.boolean() }) },
  listMasters: { channel: 'masters:list', input: NoInput, output: z.array(MasterListInfo) },
  /** Replaces a master list with a file staff choose (OS dialog in main); null when cancelled. */
  importMaster: {
    channel: 'masters:import',
    input: z.object({ list: MasterListName }),
    output: z.object({ result: MasterImportOutcome.nullable() }),
  },
  showMaster: {
    channel: 'masters:show',
    input: z.object({ list: MasterShowList, search: MasterSearch.optional(), limit: z.number().int().min(1).max(500).optional() }),
    output: z.object({ rows: z.array(MasterRow) }),
  },
  clearMaster: {
    channel: 'masters:clear',
    input: z.object({ list: MasterListName }),
    output: z.object({ removed: z.number().int(), revalidation: RevalidationSummary }),
  },
  /** Fix in place: an UNKNOWN_SKU takes a suggested SKU, a PRICE_MISMATCH the master price (one audited edit). */
  applySuggestion: {
    channel: 'review:apply-suggestion',
    input: ApplySuggestionInput,
    output: z.object({ valid: z.boolean(), issues: z.array(z.object({ row: z.number().int(), field: z.string(), code: z.string() })) }),
  },
  /** Every line of one order, for the side panel; main records the detail view (one entry per order and visit). */
  orderDetail: {
    channel: 'review:order',
    input: z.object({
      batchId: z.number().int().positive(),
      orderRef: z.string().min(1).max(200),
      visit: z.string().min(1).max(64).optional(),
    }),
    output: z.object({ lines: z.array(LineRow) }),
  },
  /** The idle lock (main/security/lock.ts): while locked, only the channels in OPEN_WHILE_LOCKED answer. */
  getLockStatus: { channel: 'lock:status', input: NoInput, output: LockStatus },
  lockNow: { channel: 'lock:now', input: NoInput, output: LockStatus },
  unlock: { channel: 'lock:unlock', input: UnlockInput, output: LockStatus },
  /** Staff used the keyboard or mouse: postpones the idle lock (main also watches input itself). */
  reportActivity: { channel: 'lock:activity', input: NoInput, output: Ok },
  saveLockSettings: { channel: 'lock:settings', input: LockSettingsInput, output: LockStatus },
  setPassphrase: { channel: 'lock:passphrase', input: PassphraseChange, output: LockStatus },
} as const;

export const events = {
  batchesChanged: {
    channel: 'batches:changed',
    payload: z.object({ batchIds: z.array(z.number().int()) }),
  },
  syncProgress: { channel: 'sync:progress', payload: SyncProgress },
  /** A run ended in an error (bad credentials, a store error, ...): it is closed in sync_runs and the audit log. */
  syncFailed: { channel: 'sync:failed', payload: SyncFailure },
  /** The OS opened a spreadsheet with the app: the import wizard starts for it (main keeps the path). */
  importRequested: { channel: 'import:requested', payload: ImportFile },
  /** The window locked (idle, by hand, the OS) or unlocked: the renderer drops or reloads what it shows. */
  lockChanged: { channel: 'lock:changed', payload: LockStatus },
} as const;
