import { createHash } from 'node:crypto';
import { appendAudit } from '../audit/log';
import { revalidate } from '../import/edit';
import { AppError } from '../shared/errors';
import { hasBlocking } from '../shared/validation';
import type { Db } from '../store/database';
import {
  batchCodes,
  clearMasterRows,
  type MasterList,
  type MasterRows,
  masterColumns,
  masterKeyWidth,
  readMasterValues,
  recordMasterImport,
  replaceMasterRows,
  unsyncedOrders,
} from '../store/masters';
import { loadOrder } from '../store/orders';
import { loadMasterIndex } from './load';
import { type MasterRowError, readMasterFile, rowKey } from './read';

/** What a master change did to the staged orders it could affect. */
export interface RevalidationSummary {
  batches: number;
  orders: number;
  becameInvalid: number;
  becameValid: number;
}

export interface MasterImportResult {
  list: MasterList;
  rows: number;
  added: number;
  changed: number;
  removed: number;
  errors: MasterRowError[];
  revalidation: RevalidationSummary;
}

/** Added, changed and removed rows between the stored list and the new one (by key; a change is any column). */
function diff<L extends MasterList>(db: Db, list: L, after: readonly MasterRows[L][]) {
  const columns = masterColumns(list);
  const width = masterKeyWidth(list);
  const old = new Map<string, string>();
  for (const values of readMasterValues(db, list)) old.set(values.slice(0, width).join('\t'), values.join('\u0000'));
  const wasEmpty = old.size === 0;
  let added = 0;
  let changed = 0;
  /** The keys of the rows added, changed or removed: the orders naming them are the ones to revalidate. */
  const touched: string[] = [];
  for (const row of after) {
    const record = row as unknown as Record<string, string | number | null>;
    const key = rowKey(list, row);
    const previous = old.get(key);
    if (previous === undefined) {
      added += 1;
      touched.push(key);
    } else {
      if (previous !== columns.map((column) => record[column] ?? '').join('\u0000')) {
        changed += 1;
        touched.push(key);
      }
      old.delete(key);
    }
  }
  touched.push(...old.keys());
  return { counts: { added, changed, removed: old.size }, affected: wasEmpty ? null : affectedCodes(list, touched) };
}

/** The codes whose orders a change of these rows can affect (a price row: its customer and its SKU). */
function affectedCodes(list: MasterList, keys: readonly string[]): { skus: string[]; customers: string[] } {
  if (list === 'products') return { skus: [...keys], customers: [] };
  if (list === 'customers') return { skus: [], customers: [...keys] };
  const skus = new Set<string>();
  const customers = new Set<string>();
  for (const key of keys) {
    const [customer = '', sku = ''] = key.split('\t');
    customers.add(customer);
    skus.add(sku);
  }
  return { skus: [...skus], customers: [...customers] };
}

/**
 * Revalidates every order a master change can affect (staged, not sent; with `affected`, only those naming
 * a changed code — a first list or an emptied one affects all), batch by batch with the master rows each
 * batch needs loaded once, and says how many orders changed between valid and invalid.
 */
export function revalidateUnsynced(
  db: Db,
  now: Date,
  affected: { skus: string[]; customers: string[] } | null = null,
): RevalidationSummary {
  const summary: RevalidationSummary = { batches: 0, orders: 0, becameInvalid: 0, becameValid: 0 };
  let batch = -1;
  let masters: ReturnType<typeof loadMasterIndex> = null;
  for (const { batch_id: batchId, order_ref: ref, validation_status: before } of unsyncedOrders(db, affected ?? undefined)) {
    if (batchId !== batch) {
      batch = batchId;
      masters = loadMasterIndex(db, batchCodes(db, batchId), now);
      summary.batches += 1;
    }
    const order = loadOrder(db, batchId, ref);
    if (!order) continue;
    const valid = !hasBlocking(revalidate(db, order, now.toISOString(), masters).issues);
    summary.orders += 1;
    if (before === 'valid' && !valid) summary.becameInvalid += 1;
    if (before !== 'valid' && valid) summary.becameValid += 1;
  }
  return summary;
}

export interface MasterImportRequest {
  list: MasterList;
  fileName: string;
  bytes: Uint8Array;
  sheet?: string;
  overrides?: Record<string, string>;
  actor: string;
  now?: Date;
}

/**
 * Replaces a master list with a file's rows in one transaction: the list, its import record, the
 * revalidation of staged orders, and a `master.imported` audit entry with counts and the file's SHA-256
 * (never a name, code or price).
 */
export function importMasterList(db: Db, request: MasterImportRequest): MasterImportResult {
  const now = request.now ?? new Date();
  const file = readMasterFile(request.list, { ...request, now });
  if (file.rows.length === 0) throw new AppError('MASTER_NO_ROWS', { file: request.fileName });
  const sha256 = createHash('sha256').update(request.bytes).digest('hex');
  return db
    .transaction(() => {
      const { counts, affected } = diff(db, request.list, file.rows);
      replaceMasterRows(db, request.list, file.rows);
      recordMasterImport(db, {
        list: request.list,
        file_name: request.fileName,
        file_sha256: sha256,
        rows: file.rows.length,
        imported_by: request.actor,
        imported_at: now.toISOString(),
      });
      const revalidation = revalidateUnsynced(db, now, affected);
      appendAudit(db, {
        actor: request.actor,
        action: 'master.imported',
        details: {
          list: request.list,
          file_sha256: sha256,
          rows: file.rows.length,
          ...counts,
          unreadable_rows: file.errors.length,
          revalidated_orders: revalidation.orders,
          became_invalid: revalidation.becameInvalid,
          became_valid: revalidation.becameValid,
        },
      });
      return { list: request.list, rows: file.rows.length, ...counts, errors: file.errors, revalidation };
    })
    .immediate();
}

/** Empties a master list (its checks stop), revalidates staged orders, with a `master.cleared` audit entry. */
export function clearMasterList(
  db: Db,
  request: { list: MasterList; actor: string; now?: Date },
): { list: MasterList; removed: number; revalidation: RevalidationSummary } {
  const now = request.now ?? new Date();
  return db
    .transaction(() => {
      const removed = clearMasterRows(db, request.list);
      const revalidation = revalidateUnsynced(db, now);
      appendAudit(db, {
        actor: request.actor,
        action: 'master.cleared',
        details: { list: request.list, removed, became_invalid: revalidation.becameInvalid, became_valid: revalidation.becameValid },
      });
      return { list: request.list, removed, revalidation };
    })
    .immediate();
}
