import { z } from 'zod';

/** Batches and the review grid: what a batch holds, the lines of a page, the counts per status. */

export const BatchSummary = z.object({
  id: z.number().int(),
  sourceFileName: z.string(),
  sheetName: z.string().nullable(),
  importedBy: z.string(),
  importedAt: z.string(),
  /** Staged, or ready for unattended sync (how far its orders got is in the counts). */
  status: z.enum(['staged', 'ready']),
  orders: z.object({
    total: z.number().int(),
    valid: z.number().int(),
    invalid: z.number().int(),
    synced: z.number().int(),
    /** Orders whose sync failed (declined, refused), and those whose outcome staff must check at the backend. */
    failed: z.number().int(),
    needsReview: z.number().int(),
    /** Created and paid, the confirmation not yet sent (a cancelled run): a notify-only run finishes them. */
    paidUnnotified: z.number().int().optional(),
  }),
  totalAmountYen: z.number().int(),
  /** Yen of the orders synced (created, paid and notified). */
  syncedAmountYen: z.number().int(),
});
export type BatchSummary = z.infer<typeof BatchSummary>;

export const LineStatus = z.enum([
  'pending',
  'valid',
  'invalid',
  'excluded',
  'syncing',
  'synced',
  'failed',
  'needs_review',
  'paid_unnotified',
]);
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
  /** The screen visit asking (a random id per opening of the grid): main writes one access entry per batch and visit. */
  visit: z.string().min(1).max(64).optional(),
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
  /** Created at the backend, payment failed: the payment token (and fields the order never carried) can still change. */
  createdUnpaid: z.boolean().optional(),
  totalAmount: z.number().nullable(),
  fields: z.record(z.string(), z.string()),
  issues: z.array(
    z.object({
      field: z.string(),
      code: z.string(),
      value: z.string(),
      // Master checks: a warning does not block; the master's value; near codes for an unknown SKU.
      severity: z.enum(['error', 'warning']).optional(),
      master: z.string().optional(),
      suggestions: z.array(z.string()).optional(),
    }),
  ),
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
