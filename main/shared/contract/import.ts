import { z } from 'zod';
import { DELIMITER_NAMES, ENCODING_OPTIONS, TEXT_ENCODINGS } from '../encodings';
import { FIELDS } from '../fields';

/** The import wizard: the file by id, its settings, the preview and the outcome. */

export const FieldName = z.enum(FIELDS);

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
  /** Columns proposed for unmapped fields (0-based), with why: see main/import/suggest.ts. */
  suggestions: z.array(
    z.object({
      field: FieldName,
      column: z.number().int(),
      reason: z.enum(['header', 'email', 'date', 'yen', 'sku', 'token', 'address']),
    }),
  ),
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
