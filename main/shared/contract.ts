import { z } from 'zod';
import { ERROR_CODES } from './errors';
import { DELIMITER_NAMES, ENCODING_OPTIONS, TEXT_ENCODINGS } from './encodings';
import { BACKEND_URL_MAX_LENGTH, checkBackendUrl } from './backend-url';
import { FIELDS } from './fields';

/**
 * The IPC contract: every channel the renderer may call, with its input and output schema, and
 * every event main pushes to the renderer. Main registers handlers from `channels`; the preload
 * builds `window.api` from the same keys, so a channel cannot exist on one side only.
 */

export const BatchSummary = z.object({
  id: z.number().int(),
  sourceFileName: z.string(),
  sheetName: z.string().nullable(),
  importedBy: z.string(),
  importedAt: z.string(),
  status: z.enum(['staged', 'ready', 'syncing', 'synced', 'archived']),
  orders: z.object({
    total: z.number().int(),
    valid: z.number().int(),
    invalid: z.number().int(),
    synced: z.number().int(),
  }),
  totalAmountYen: z.number().int(),
});
export type BatchSummary = z.infer<typeof BatchSummary>;

export const Locale = z.enum(['ja', 'en']);
export type Locale = z.infer<typeof Locale>;

export const AppInfo = z.object({
  version: z.string(),
  locale: Locale,
  dataDir: z.string(),
  store: z.object({
    encrypted: z.boolean(),
    cipher: z.string(),
    schemaVersion: z.number().int(),
  }),
  backend: z.object({
    mode: z.enum(['simulator', 'remote']),
  }),
});
export type AppInfo = z.infer<typeof AppInfo>;

const ServiceProgress = z.object({
  waiting: z.number().int(),
  in_flight: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  requests: z.number().int(),
  rate_per_second: z.number(),
  average_per_second: z.number(),
  limit_per_second: z.number().nullable(),
  breaker: z.string(),
  /** Why the service's last call went wrong (`HTTP_503`, `TIMEOUT`, `CONNECTION_LOST`, `UNREACHABLE`); null once one succeeds. */
  last_error: z.string().nullable().optional(),
  /** Seconds until the next retry (breaker cool-down or backoff); null when none is pending. */
  retry_in_s: z.number().nullable().optional(),
});
export type ServiceProgress = z.infer<typeof ServiceProgress>;

export const SyncProgress = z.object({
  runId: z.number().int(),
  state: z.enum(['running', 'paused', 'cancelling', 'finished', 'cancelled', 'failed']),
  elapsedS: z.number(),
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  needsReview: z.number().int(),
  services: z.object({ orders: ServiceProgress, payments: ServiceProgress, notifications: ServiceProgress }),
  etaS: z.number().nullable(),
  yen: z.object({ staged: z.number(), synced: z.number() }),
  retries: z.number().int(),
  rateLimited: z.number().int(),
});
export type SyncProgress = z.infer<typeof SyncProgress>;

/** An error as it crosses IPC: a stable code and parameters without personal data (see shared/errors). */
const ErrorPayload = z.object({ code: z.enum(ERROR_CODES), params: z.record(z.string(), z.union([z.string(), z.number()])) });

/** The run that ended in an error (null when it ended before it was recorded, e.g. refused by the lock), and why. */
export const SyncFailure = z.object({ runId: z.number().int().nullable(), batchIds: z.array(z.number().int()), error: ErrorPayload });
export type SyncFailure = z.infer<typeof SyncFailure>;

export const SyncStatus = z.object({
  running: z.boolean(),
  progress: SyncProgress.nullable(),
  /** Why the last run ended in an error; null once a run ends normally or a new one starts. */
  failure: SyncFailure.nullable(),
});

const FieldName = z.enum(FIELDS);

/** A file main has opened for import; the renderer only ever holds its id, never the path. */
export const ImportFile = z.object({ fileId: z.string(), fileName: z.string(), sizeBytes: z.number().int() });
export type ImportFile = z.infer<typeof ImportFile>;

/** The header's row number as Excel shows it (1-based), when staff set it instead of detection. */
export const HeaderRow = z.number().int().min(1).max(1_000_000);
export const ImportEncoding = z.enum(ENCODING_OPTIONS);

export const ImportSettings = z.object({
  fileId: z.string().min(1).max(100),
  sheet: z.string().max(300).optional(),
  encoding: ImportEncoding.optional(),
  headerRow: HeaderRow.optional(),
  template: z.string().max(200).optional(),
  /** field -> 1-based column number, or '' to leave the field unmapped. */
  overrides: z.partialRecord(FieldName, z.string().max(10)).optional(),
});

export const ImportPreview = z.object({
  fileName: z.string(),
  kind: z.enum(['xlsx', 'xlsm', 'xls', 'csv', 'tsv']),
  encoding: z.enum(TEXT_ENCODINGS).nullable(),
  delimiter: z.enum(DELIMITER_NAMES).nullable(),
  sheets: z.array(z.string()),
  /** Sheets hidden in the workbook (listed in sheets too): chosen only when staff pick them. */
  hiddenSheets: z.array(z.string()),
  sheet: z.string().nullable(),
  headerRow: z.number().int(),
  headers: z.array(z.string()),
  /** field -> 0-based column index, null when unmapped. */
  mapping: z.record(FieldName, z.number().int().nullable()),
  template: z.string().nullable(),
  templates: z.array(z.string()),
  missingRequired: z.array(FieldName),
  /** The first rows under the header, as text (card numbers masked). */
  rows: z.array(z.object({ row: z.number().int(), cells: z.array(z.string()) })),
  dataRows: z.number().int(),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const ImportOutcome = z.object({
  batchId: z.number().int(),
  lines: z.number().int(),
  orders: z.object({ total: z.number().int(), valid: z.number().int(), invalid: z.number().int() }),
  errors: z.number().int(),
  durationMs: z.number(),
  /** Lines that took the order number of the line above; dates without a year read as the next such date. */
  notes: z.object({ continuedLines: z.number().int(), datesWithoutYear: z.number().int() }),
  sheet: z.string().nullable(),
  sheetHidden: z.boolean(),
  encoding: z.enum(TEXT_ENCODINGS).nullable(),
  delimiter: z.enum(DELIMITER_NAMES).nullable(),
});

export const LineStatus = z.enum(['pending', 'valid', 'invalid', 'excluded', 'syncing', 'synced', 'failed', 'needs_review']);
export type LineStatus = z.infer<typeof LineStatus>;

export const LineQuery = z.object({
  batchId: z.number().int().positive(),
  status: LineStatus.optional(),
  code: z.string().max(40).optional(),
  search: z.string().max(200).optional(),
  sort: z.object({
    column: z.enum(['row', 'order_ref', 'status', 'customer_name', 'customer_id', 'sku', 'quantity', 'unit_price', 'total_amount']),
    direction: z.enum(['asc', 'desc']),
  }),
  offset: z.number().int().min(0),
  limit: z.number().int().min(1).max(1000),
  /** Count the matching lines too (false while scrolling through a query already counted). Default true. */
  withTotal: z.boolean().optional(),
});
export type LineQuery = z.infer<typeof LineQuery>;

export const LineRow = z.object({
  lineId: z.number().int(),
  orderRef: z.string(),
  row: z.number().int(),
  lineNo: z.number().int(),
  lineCount: z.number().int(),
  status: LineStatus,
  /** Why sync failed or needs review: the error class (rejected, declined, ...) and the backend's code. */
  syncError: z.object({ kind: z.string(), code: z.string() }).nullable(),
  totalAmount: z.number().nullable(),
  fields: z.record(z.string(), z.string()),
  issues: z.array(z.object({ field: z.string(), code: z.string(), value: z.string() })),
});
export type LineRow = z.infer<typeof LineRow>;

/** total is null when not asked for (withTotal: false). */
export const LinePage = z.object({ total: z.number().int().nullable(), offset: z.number().int(), rows: z.array(LineRow) });
export type LinePage = z.infer<typeof LinePage>;

export const BatchOverview = z.object({
  batchId: z.number().int(),
  statuses: z.array(z.object({ status: LineStatus, orders: z.number().int(), lines: z.number().int(), yen: z.number() })),
  codes: z.array(z.object({ code: z.string(), orders: z.number().int() })),
});
export type BatchOverview = z.infer<typeof BatchOverview>;

export const AuditRow = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  backendIdentity: z.string().nullable(),
  action: z.string(),
  batchId: z.number().int().nullable(),
  orderRef: z.string().nullable(),
  details: z.string(),
});
export type AuditRow = z.infer<typeof AuditRow>;

export const AuditCheck = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  firstBroken: z.object({ seq: z.number().int(), reason: z.enum(['hash_mismatch', 'broken_link', 'sequence_gap']) }).nullable(),
  headHash: z.string(),
  /** Everything found wrong (chain, triggers, missing entries), as error codes the renderer translates. */
  problems: z.array(z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })),
});

const ServiceLimits = z.object({
  ratePerSecond: z.number().positive().max(1000).nullable(),
  concurrency: z.number().int().min(1).max(64),
  timeoutMs: z.number().int().min(1000).max(120_000),
});
export const SyncLimits = z.object({ orders: ServiceLimits, payments: ServiceLimits, notifications: ServiceLimits });
export type SyncLimits = z.infer<typeof SyncLimits>;

/**
 * A backend URL under the transport policy (`backend-url.ts`). The issue carries the policy's error code,
 * which the dispatcher returns instead of INVALID_INPUT.
 */
export const BackendUrl = z
  .string()
  .max(BACKEND_URL_MAX_LENGTH)
  .superRefine((value, ctx) => {
    const check = checkBackendUrl(value);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.code, params: { appError: check.code, ...check.params } });
  });

export const SettingsView = z.object({
  locale: Locale,
  backend: z.object({
    mode: z.enum(['simulator', 'remote']),
    url: z.string().nullable(),
    clientId: z.string().nullable(),
    /** Whether a secret is stored; the secret itself never leaves main. */
    hasSecret: z.boolean(),
  }),
  limits: SyncLimits,
  schedule: z.object({ cron: z.string().nullable(), lastRun: z.string().nullable(), nextRun: z.string().nullable() }),
  retentionDays: z.number().int().nullable(),
  store: z.object({
    path: z.string(),
    sizeBytes: z.number().int(),
    encrypted: z.boolean(),
    cipher: z.string(),
    pageSize: z.number().int(),
    schemaVersion: z.number().int(),
  }),
});
export type SettingsView = z.infer<typeof SettingsView>;

const NoInput = z.undefined();
const Ok = z.object({ ok: z.literal(true) });

export const channels = {
  getAppInfo: { channel: 'app:info', input: NoInput, output: AppInfo },
  setLocale: { channel: 'app:set-locale', input: z.object({ locale: Locale }), output: z.object({ locale: Locale }) },
  listBatches: { channel: 'batches:list', input: NoInput, output: z.array(BatchSummary) },
  startSync: {
    channel: 'sync:start',
    input: z.object({ batchIds: z.array(z.number().int().positive()).min(1), retryFailed: z.boolean().optional() }),
    output: z.object({ started: z.literal(true) }),
  },
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
  saveSchedule: { channel: 'settings:schedule', input: z.object({ cron: z.string().trim().max(100).nullable() }), output: SettingsView },
  saveRetention: {
    channel: 'settings:retention',
    input: z.object({ days: z.number().int().min(1).max(3650).nullable() }),
    output: SettingsView,
  },
  purgeNow: {
    channel: 'settings:purge',
    input: NoInput,
    output: z.object({ orders: z.number().int(), batches: z.number().int(), held: z.number().int(), inSync: z.number().int() }),
  },
  backupStore: { channel: 'settings:backup', input: NoInput, output: z.object({ saved: z.object({ fileName: z.string() }).nullable() }) },
  /** Checks a backup with the store key, then the app restarts on it (the current store is kept aside). */
  restoreStore: { channel: 'settings:restore', input: NoInput, output: z.object({ restoring: z.boolean() }) },
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
} as const;

export type Channels = typeof channels;
export type Method = keyof Channels;
export type Input<M extends Method> = z.infer<Channels[M]['input']>;
export type Output<M extends Method> = z.infer<Channels[M]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]['payload']>;

export const methodNames = Object.keys(channels) as Method[];

/**
 * Channels that window.api does not offer by name: the preload calls them with what only it can know (a
 * dropped file's path, from the File object the page hands over), so the page cannot name their input.
 */
export const preloadOnlyMethods = ['addDroppedFile'] as const satisfies readonly Method[];
export type PreloadOnlyMethod = (typeof preloadOnlyMethods)[number];
/** The channels the page may call with an input of its own. */
export type PageMethod = Exclude<Method, PreloadOnlyMethod>;
export const pageMethodNames = methodNames.filter((m): m is PageMethod => !(preloadOnlyMethods as readonly Method[]).includes(m));
export const eventNames = Object.keys(events) as EventName[];
