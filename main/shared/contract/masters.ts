import { z } from 'zod';

/** Master lists (products, customers, per-customer prices): import, list, search, clear, and fix in place. */

export const MasterListName = z.enum(['products', 'customers', 'prices']);
/** The lists that can be browsed (prices are shown as counts only). */
export const MasterShowList = z.enum(['products', 'customers']);
export const MasterSearch = z.string().trim().max(200);
export const MasterSheet = z.string().max(300);
/** --map: a list field (or a header naming it) -> header text or 1-based column number. */
export const MasterOverrides = z.record(z.string().min(1).max(100), z.string().max(300));

/** Yen a unit price may differ from the master price before PRICE_MISMATCH; null = exact. */
export const MasterPriceTolerance = z.number().int().min(0).max(1_000_000).nullable();

export const RevalidationSummary = z.object({
  batches: z.number().int(),
  orders: z.number().int(),
  becameInvalid: z.number().int(),
  becameValid: z.number().int(),
});

export const MasterRowError = z.object({ row: z.number().int(), field: z.string(), code: z.string(), value: z.string() });

export const MasterImportOutcome = z.object({
  list: MasterListName,
  fileName: z.string(),
  rows: z.number().int(),
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  errors: z.array(MasterRowError),
  revalidation: RevalidationSummary,
});

export const MasterListInfo = z.object({
  list: MasterListName,
  count: z.number().int(),
  lastImport: z
    .object({ file_name: z.string(), file_sha256: z.string(), rows: z.number().int(), imported_by: z.string(), imported_at: z.string() })
    .nullable(),
});

export const MasterRow = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

export const ApplySuggestionInput = z.object({
  batchId: z.number().int().positive(),
  orderRef: z.string().min(1).max(200),
  row: z.number().int().positive(),
  code: z.enum(['UNKNOWN_SKU', 'PRICE_MISMATCH']),
  value: z.string().max(200).optional(),
});
