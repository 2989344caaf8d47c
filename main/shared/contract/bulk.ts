import { z } from 'zod';
import { LineStatus } from './batches';
import { FieldName } from './import';

/** Spreadsheet-style editing in the review grid: many cells as one change, and finding cells by value. */

const BatchId = z.number().int().positive();
const OrderRef = z.string().min(1).max(200);

export const BulkEditInput = z.object({
  batchId: BatchId,
  kind: z.enum(['set', 'fill', 'replace', 'paste', 'undo', 'redo']),
  edits: z
    .array(z.object({ orderRef: OrderRef, row: z.number().int().positive().optional(), field: FieldName, value: z.string().max(2000) }))
    .min(1)
    .max(10_000),
});

export const BulkEditOutcome = z.object({
  applied: z.number().int(),
  changed: z.number().int(),
  orders: z.number().int(),
  valid: z.number().int(),
  refused: z.array(z.object({ orderRef: z.string(), row: z.number().int().nullable(), code: z.string() })),
});
export type BulkEditOutcome = z.infer<typeof BulkEditOutcome>;

/** The lines of a batch (under the grid's filter) whose field contains `find` ('' matches every line). */
export const MatchInput = z.object({
  batchId: BatchId,
  field: FieldName,
  find: z.string().max(2000),
  status: LineStatus.optional(),
  code: z.string().max(40).optional(),
  search: z.string().max(200).optional(),
});
export type MatchInput = z.infer<typeof MatchInput>;

export const MatchOutcome = z.object({
  /** Every match; lines holds at most the first 10,000 of them. */
  total: z.number().int(),
  lines: z.array(z.object({ orderRef: z.string(), row: z.number().int(), lineCount: z.number().int(), value: z.string() })),
});
export type MatchOutcome = z.infer<typeof MatchOutcome>;
