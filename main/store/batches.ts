import type { BatchSummary } from '../shared/contract';
import { AppError } from '../shared/errors';
import type { Db } from './database';

interface BatchRow {
  id: number;
  source_file_name: string;
  sheet_name: string | null;
  imported_by: string;
  imported_at: string;
  status: BatchSummary['status'];
  total: number;
  valid: number;
  invalid: number;
  synced: number;
  failed: number;
  needs_review: number;
  paid_unnotified: number;
  total_amount: number;
  synced_amount: number;
}

const LIST_SQL = `
SELECT b.id, b.source_file_name, b.sheet_name, b.imported_by, b.imported_at, b.status,
       count(o.id)                                              AS total,
       coalesce(sum(o.validation_status = 'valid'), 0)          AS valid,
       coalesce(sum(o.validation_status = 'invalid'), 0)        AS invalid,
       coalesce(sum(s.state = 'done'), 0)                       AS synced,
       coalesce(sum(s.state = 'failed'), 0)                     AS failed,
       coalesce(sum(s.state = 'needs_review'), 0)               AS needs_review,
       coalesce(sum(s.state = 'paid'), 0)                       AS paid_unnotified,
       coalesce(sum(CASE WHEN o.validation_status = 'valid' THEN o.total_amount END), 0) AS total_amount,
       coalesce(sum(CASE WHEN s.state = 'done' THEN o.total_amount END), 0) AS synced_amount
FROM batches b
LEFT JOIN orders o ON o.batch_id = b.id
LEFT JOIN sync_state s ON s.order_id = o.id
GROUP BY b.id
ORDER BY b.imported_at DESC, b.id DESC`;

export function listBatches(db: Db): BatchSummary[] {
  const rows = db.prepare(LIST_SQL).all() as BatchRow[];
  return rows.map((row) => ({
    id: row.id,
    sourceFileName: row.source_file_name,
    sheetName: row.sheet_name,
    importedBy: row.imported_by,
    importedAt: row.imported_at,
    status: row.status,
    orders: {
      total: row.total,
      valid: row.valid,
      invalid: row.invalid,
      synced: row.synced,
      failed: row.failed,
      needsReview: row.needs_review,
      paidUnnotified: row.paid_unnotified,
    },
    totalAmountYen: row.total_amount,
    syncedAmountYen: row.synced_amount,
  }));
}

export interface NewBatch {
  sourceFileName: string;
  sourceSha256: string;
  sheetName: string | null;
  encoding: string | null;
  headerRow: number | null;
  columnMapping: Record<string, string>;
  importedBy: string;
  importedAt: string;
  /** What the file was (xlsx, csv, ...) and its header row's cells, as imported. */
  sourceKind?: string;
  headers?: readonly string[];
}

export function insertBatch(db: Db, batch: NewBatch): number {
  const result = db
    .prepare(
      `INSERT INTO batches (source_file_name, source_sha256, sheet_name, encoding, header_row, column_mapping, imported_by, imported_at,
         source_kind, headers)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      batch.sourceFileName,
      batch.sourceSha256,
      batch.sheetName,
      batch.encoding,
      batch.headerRow,
      JSON.stringify(batch.columnMapping),
      batch.importedBy,
      batch.importedAt,
      batch.sourceKind ?? null,
      JSON.stringify(batch.headers ?? []),
    );
  return Number(result.lastInsertRowid);
}

/** A staged batch's line count and the import's notes, written once its orders are in. */
export function finishBatch(db: Db, batchId: number, rowCount: number, notes: Record<string, number>): void {
  db.prepare('UPDATE batches SET row_count = ?, import_notes = ? WHERE id = ?').run(rowCount, JSON.stringify(notes), batchId);
}

export function batchExists(db: Db, batchId: number): boolean {
  return db.prepare('SELECT 1 FROM batches WHERE id = ?').get(batchId) !== undefined;
}

/** Throws BATCH_NOT_FOUND unless the batch exists. */
export function assertBatch(db: Db, batchId: number): void {
  if (!batchExists(db, batchId)) throw new AppError('BATCH_NOT_FOUND', { batchId });
}
