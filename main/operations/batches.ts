import type { AppContext } from '../app/context';
import { type BulkEditResult, editOrdersInBulk } from '../import/bulk-edit';
import { editOrderField, revalidateBatch, setOrdersExcluded } from '../import/edit';
import { previewImport } from '../import/preview';
import { type ReimportResult, reimportIntoBatch } from '../import/reimport';
import { type ImportOptions, type ImportResult, importFile } from '../import/stage';
import type { OrderValidation } from '../import/validate';
import { setBatchReady } from '../schedule/scheduler';
import type { ImportPreview, Input } from '../shared/contract';
import type { EncodingOption } from '../shared/encodings';

/** A file to import: its name and bytes, and what a preview already read of it (reused, not parsed again). */
export type ImportSource = Pick<ImportOptions, 'fileName' | 'bytes' | 'read'>;

/** How a file is read and mapped: the wizard's settings or the command line's options. */
export type ImportChoices = Pick<ImportOptions, 'sheet' | 'encoding' | 'headerRow' | 'template' | 'overrides' | 'saveTemplateAs'>;

/** Import: the file staged into a new batch, validated, with its `batch.imported` audit entry (one transaction). */
export function importSpreadsheet(ctx: AppContext, source: ImportSource, choices: ImportChoices): ImportResult {
  return importFile(ctx.store.db, { ...source, ...choices, actor: ctx.actor });
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
