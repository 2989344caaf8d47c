import { appendAudit } from '../audit/log';
import { restoreNeutralised } from '../export/cells';
import { AppError } from '../shared/errors';
import { resources } from '../shared/i18n';
import type { Db } from '../store/database';
import { hasBlocking } from '../shared/validation';
import { existingOrderRefs, isCreatedUnpaid, isOrderLocked, loadOrder, type StoredOrder, saveValidation } from '../store/orders';
import { applyEdit } from './edit';
import { restoreLeadingZeros } from './leading-zeros';
import type { ParsedLine } from './lines';
import { UNPAID_FIXABLE } from './unpaid';
import { mappingFromHeaders, missingRequired } from './mapping';
import { type EncodingOption, readSpreadsheet } from './reader';
import { parseLines } from './lines';
import { pickSheet } from './sheet';
import { MISSING_REF_PREFIX } from './slips';
import { prepareLineInsert } from '../store/batch-writer';
import type { ImportLimits, ReadResult } from './types';
import { codesOf, loadMasterIndex } from '../masters/load';
import { validateOrder } from './validate';

/** Headers of the columns the error export adds (error code, message, source row, master value, suggestions), in both languages. */
const EXPORT_COLUMNS = (['errorCode', 'errorMessage', 'sourceRow', 'masterValue', 'suggestions'] as const).map((key) => [
  resources.ja.translation.export[key],
  resources.en.translation.export[key],
]);

/**
 * The export put a quote before text that a spreadsheet could take for a formula: it comes off again here,
 * that quote only, before the cells are read as an import reads them.
 */
function removeAddedQuotes(read: ReadResult): ReadResult {
  for (const sheet of read.sheets) {
    for (const row of sheet.rows) {
      for (let c = 0; c < row.length; c += 1) {
        const cell = row[c];
        if (typeof cell === 'string' && cell.startsWith("'")) row[c] = restoreNeutralised(cell);
      }
    }
  }
  return read;
}

export interface ReimportResult {
  batchId: number;
  updated: number;
  valid: number;
  invalid: number;
  /** Order numbers in the file that are not in the batch (never added: import them as a new batch). */
  notInBatch: string[];
  /** Orders already synced or syncing: left as they are. */
  locked: string[];
  /** Orders created at the backend but not paid whose payment token (or other fields the order never carried) changed: paid by the next sync. */
  paymentFixed: string[];
  /** Values (cells) that came back as the stored code without its leading zeros (Excel's doing): the stored code was kept. */
  zerosRestored: number;
}

/**
 * An order the backend created but did not pay takes from the file only what does not change that order
 * (the payment token, email, notes, delivery date); the rest of the file's order is ignored. Null when nothing changed.
 */
function fixUnpaid(db: Db, order: StoredOrder, lines: readonly ParsedLine[], actor: string, now: Date): 'valid' | 'invalid' | null {
  let outcome: 'valid' | 'invalid' | null = null;
  for (const field of UNPAID_FIXABLE) {
    const value = lines.find((line) => line.fields[field])?.fields[field] ?? '';
    const current = order.lines.find((line) => line.fields[field])?.fields[field] ?? '';
    if (value === current) continue;
    const edit = applyEdit(db, { batchId: order.batchId, orderRef: order.orderRef, field, value, actor, now });
    if (edit.changed) outcome = !hasBlocking(edit.result.issues) ? 'valid' : 'invalid';
  }
  return outcome;
}

/**
 * Imports a corrected error file back into its batch: each order in the file replaces the lines of the
 * batch's order with the same order number and is revalidated. Nothing is duplicated; orders already sent
 * to the backend are never changed. One transaction.
 */
export function reimportIntoBatch(
  db: Db,
  options: {
    batchId: number;
    fileName: string;
    bytes: Uint8Array;
    encoding?: EncodingOption;
    /** The header's row number when staff set it; otherwise it is detected. */
    headerRow?: number;
    actor: string;
    limits?: ImportLimits;
    now?: Date;
  },
): ReimportResult {
  const now = (options.now ?? new Date()).toISOString();
  const batch = db.prepare('SELECT column_mapping FROM batches WHERE id = ?').get(options.batchId) as
    | { column_mapping: string }
    | undefined;
  if (!batch) throw new AppError('BATCH_NOT_FOUND', { batchId: options.batchId });
  const read = removeAddedQuotes(readSpreadsheet(options.fileName, options.bytes, { encoding: options.encoding, limits: options.limits }));
  const prepared = pickSheet(read, options.fileName, undefined, options.headerRow);
  const mapping = mappingFromHeaders(JSON.parse(batch.column_mapping), prepared.headers);
  const missing = missingRequired(mapping);
  if (missing.length) throw new AppError('IMPORT_MAPPING_INCOMPLETE', { fields: missing.join(', ') });
  const parsed = parseLines(prepared, mapping, options.now);
  if (parsed.size === 0) throw new AppError('IMPORT_NO_ORDERS', { file: options.fileName });
  // Columns the error export added: the source row keeps each line traceable to the original file.
  const added = EXPORT_COLUMNS.map((labels) => prepared.headers.findIndex((h) => labels.includes(h)));
  const sourceRowAt = added[2] ?? -1;
  for (const lines of parsed.values()) {
    for (const line of lines) {
      const original = sourceRowAt >= 0 ? Number(line.extra?.[sourceRowAt]) : Number.NaN;
      if (Number.isInteger(original) && original > 0) line.row = original;
      if (line.extra) for (const index of added) delete line.extra[index];
      if (line.extra && Object.keys(line.extra).length === 0) line.extra = null;
    }
  }

  return db
    .transaction(() => {
      const result: ReimportResult = {
        batchId: options.batchId,
        updated: 0,
        valid: 0,
        invalid: 0,
        notInBatch: [],
        locked: [],
        paymentFixed: [],
        zerosRestored: 0,
      };
      // Before anything reads the file's codes (masters, order numbers): Excel's 123 for a stored 00123 stays 00123.
      const { orders, restored } = restoreLeadingZeros(db, options.batchId, parsed);
      result.zerosRestored = restored;
      const deleteLines = db.prepare('DELETE FROM order_lines WHERE order_id = ?');
      // A line without an order number is staged as an order of its own (order_ref '?<row>', one line): when the
      // file gives its row an order, that stand-in goes, so the line is not staged twice.
      const dropStrayLine = db.prepare(
        `DELETE FROM orders WHERE batch_id = ? AND order_ref LIKE ? AND id IN (SELECT order_id FROM order_lines WHERE source_row = ?)`,
      );
      let absorbed = 0;
      const insertLine = prepareLineInsert(db);
      const masters = loadMasterIndex(db, codesOf([...orders.values()].flat()), options.now ?? new Date());
      for (const [orderRef, lines] of orders) {
        if (orderRef.startsWith(MISSING_REF_PREFIX)) continue;
        const order = loadOrder(db, options.batchId, orderRef);
        if (!order) {
          result.notInBatch.push(orderRef);
          continue;
        }
        if (isOrderLocked(db, order.id, ['queued', 'failed', 'needs_review'])) {
          const fixed = isCreatedUnpaid(db, order.id) ? fixUnpaid(db, order, lines, options.actor, options.now ?? new Date()) : null;
          if (fixed) {
            result.paymentFixed.push(orderRef);
            result.updated += 1;
            result[fixed] += 1;
          } else result.locked.push(orderRef);
          continue;
        }
        // An error file holds every line of the orders it lists: then it is the order's whole truth (a line
        // staff deleted from it goes). When none of the order's own rows are in the file (staff wrote its
        // number on rows that had none, split off under it), those rows are added to the order instead.
        const fileRows = new Set(lines.map((line) => line.row));
        const kept = sourceRowAt >= 0 && !order.lines.some((line) => fileRows.has(line.row)) ? order.lines : [];
        const all = [...kept.map((line) => ({ row: line.row, fields: line.fields, extra: null })), ...lines];
        const validation = validateOrder(all, {
          duplicate: existingOrderRefs(db, [orderRef], options.batchId).size > 0,
          // Kept lines' codes were not in the file: such an order has them looked up too.
          masters: kept.length && masters ? loadMasterIndex(db, codesOf(all), options.now ?? new Date()) : masters,
        });
        if (kept.length === 0) deleteLines.run(order.id);
        const added = lines.map((line, i) => ({
          ...insertLine(order.id, kept.length + i, line, validation),
          lineNo: kept.length + i + 1,
          row: line.row,
        }));
        saveValidation(db, { ...order, lines: [...kept, ...added] }, validation, now);
        if (sourceRowAt >= 0)
          for (const row of fileRows) absorbed += dropStrayLine.run(options.batchId, `${MISSING_REF_PREFIX}%`, row).changes;
        // A corrected order that was not yet sent goes back in line for the next sync (no sync row: nothing to do).
        db.prepare(
          "UPDATE sync_state SET state = 'queued', attempts = 0, failed_step = NULL, error_class = NULL, error_code = NULL, detail = '{}' WHERE order_id = ?",
        ).run(order.id);
        result.updated += 1;
        if (hasBlocking(validation.issues)) result.invalid += 1;
        else result.valid += 1;
      }
      appendAudit(db, {
        actor: options.actor,
        action: 'batch.reimported',
        batchId: options.batchId,
        details: {
          updated: result.updated,
          valid: result.valid,
          invalid: result.invalid,
          not_in_batch: result.notInBatch.length,
          locked: result.locked.length,
          payment_fixed: result.paymentFixed.length,
          absorbed_lines: absorbed,
          zeros_restored: result.zerosRestored,
        },
      });
      return result;
    })
    .immediate();
}
