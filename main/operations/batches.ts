import { appendAudit } from '../audit/log';
import type { AppContext } from '../app/context';
import { type BulkEditResult, editOrdersInBulk } from '../import/bulk-edit';
import { editOrderField, revalidateBatch, setOrdersExcluded } from '../import/edit';
import { previewImport } from '../import/preview';
import { type ReimportResult, reimportIntoBatch } from '../import/reimport';
import { type ImportOptions, type ImportResult, importFile } from '../import/stage';
import type { OrderValidation } from '../import/validate';
import type { ImportJobRequest } from '../import/worker-host';
import type { WorkerImportResult } from '../import/worker-protocol';
import { setBatchReady } from '../schedule/scheduler';
import type { ImportPreview, Input } from '../shared/contract';
import type { EncodingOption } from '../shared/encodings';
import { AppError } from '../shared/errors';
import type { StoreKey } from '../store/key';

/** A file to import: its name and bytes, and what a preview already read of it (reused, not parsed again). */
export type ImportSource = Pick<ImportOptions, 'fileName' | 'bytes' | 'read'>;

/** How a file is read and mapped: the wizard's settings or the command line's options. */
export type ImportChoices = Pick<ImportOptions, 'sheet' | 'encoding' | 'headerRow' | 'template' | 'overrides' | 'saveTemplateAs'>;

/** Import: the file staged into a new batch, validated, with its `batch.imported` audit entry (one transaction). */
export function importSpreadsheet(ctx: AppContext, source: ImportSource, choices: ImportChoices): ImportResult {
  return importFile(ctx.store.db, { ...source, ...choices, actor: ctx.actor });
}

/** How long the import worker waits for main's write lock (a sync's or an edit's short transaction). */
const WORKER_BUSY_TIMEOUT_MS = 30_000;

/**
 * Import, as the desktop app runs it: the same import in a worker thread with its own store connection, so main
 * answers other calls meanwhile (progress goes out as ctx.imports 'progress' events). A cancel leaves nothing
 * staged and writes `batch.import_cancelled` with counts only. Without the key (some tests) or for an in-memory
 * store there is no second connection to open: the import runs here, as the command line runs it.
 */
export async function importInBackground(ctx: AppContext, fileId: string, choices: ImportChoices): Promise<WorkerImportResult> {
  const encoding = choices.encoding ?? 'auto';
  if (!ctx.key || ctx.store.path === ':memory:') {
    const { fileName, bytes, read } = ctx.files.read(fileId, encoding);
    const { errors, ...result } = importSpreadsheet(ctx, { fileName, bytes, read }, choices);
    return { ...result, errorCount: errors.length };
  }
  const outcome = await ctx.imports.run(workerRequest(ctx, ctx.key, fileId, choices));
  const { db } = ctx.store;
  if (outcome.status === 'cancelled') {
    appendAudit(db, {
      actor: ctx.actor,
      action: 'batch.import_cancelled',
      details: { lines_read: outcome.linesRead, lines_total: outcome.linesTotal },
    });
    throw new AppError('IMPORT_CANCELLED', {});
  }
  return outcome.result;
}

/** The worker's job: built apart so that main keeps no reference to the preview's rows while the worker imports. */
function workerRequest(ctx: AppContext, key: StoreKey, fileId: string, choices: ImportChoices): ImportJobRequest {
  const encoding = choices.encoding ?? 'auto';
  const { db } = ctx.store;
  return {
    store: {
      path: ctx.store.path,
      key,
      pageSize: Number(db.pragma('page_size', { simple: true })),
      busyTimeoutMs: WORKER_BUSY_TIMEOUT_MS,
      backgroundCheckpoints: ctx.store.checkpoints !== null,
    },
    file: { ...ctx.files.handOver(fileId, encoding), encoding },
    choices: {
      sheet: choices.sheet,
      headerRow: choices.headerRow,
      template: choices.template,
      overrides: choices.overrides,
      saveTemplateAs: choices.saveTemplateAs,
    },
    actor: ctx.actor,
  };
}

/** Cancel: the running import stops and stages nothing; false when none was running. */
export function cancelImport(ctx: AppContext): boolean {
  return ctx.imports.cancel();
}

/** Preview: what an import of this file would stage, nothing written. */
export function previewSpreadsheet(
  ctx: AppContext,
  source: Required<Pick<ImportOptions, 'fileName' | 'read'>>,
  choices: Omit<ImportChoices, 'encoding' | 'saveTemplateAs'>,
): ImportPreview {
  return previewImport(ctx.store.db, { ...source, ...choices });
}

/** Edit: one field of a staged order, revalidated, with its `order.edited` audit entry. */
export function editOrder(ctx: AppContext, input: Input<'editField'>): OrderValidation {
  return editOrderField(ctx.store.db, { ...input, actor: ctx.actor });
}

/** Bulk edit: many cells as one transaction and one `orders.bulk_edited` audit entry (counts, never values). */
export function editOrders(ctx: AppContext, input: Input<'editMany'>): BulkEditResult {
  return editOrdersInBulk(ctx.store.db, { ...input, actor: ctx.actor });
}

/** Exclude or include orders again, each with its audit entry. */
export function excludeOrders(ctx: AppContext, input: Input<'setExcluded'>): { changed: number } {
  return setOrdersExcluded(ctx.store.db, { ...input, actor: ctx.actor });
}

/** Validate: every order of a batch revalidated, with a `batch.validated` audit entry. */
export function validateBatch(ctx: AppContext, batchId: number): { total: number; valid: number; invalid: number } {
  return revalidateBatch(ctx.store.db, batchId, ctx.actor);
}

/** Re-import: a corrected error file back into its batch (matched by order number, never duplicated). */
export function reimportBatch(
  ctx: AppContext,
  input: { batchId: number; fileName: string; bytes: Uint8Array; encoding?: EncodingOption; headerRow?: number },
): ReimportResult {
  return reimportIntoBatch(ctx.store.db, { ...input, actor: ctx.actor });
}

/** Ready: a batch marked (or unmarked) for unattended sync, with its audit entry. */
export function markReady(ctx: AppContext, { batchId, ready }: Input<'markReady'>): void {
  setBatchReady(ctx.store.db, batchId, ready, ctx.actor);
}
