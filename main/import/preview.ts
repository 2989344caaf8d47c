import type { ImportPreview } from '../shared/contract';
import type { Db } from '../store/database';
import { listTemplates } from '../store/templates';
import { FIELDS } from '../shared/fields';
import { missingRequired } from './mapping';
import { cellToText, scanCardNumbers } from './normalize';
import { pickSheet, proposeMapping } from './sheet';
import { suggestColumns } from './suggest';
import type { ReadResult } from './types';

const PREVIEW_ROWS = 8;

/**
 * What the import wizard shows before anything is staged: the sheet and header row found, the mapping
 * that would be used (with the required fields still missing), and the first rows as text. Card numbers
 * are masked here too: the preview never shows more than the store would keep.
 */
export function previewImport(
  db: Db,
  options: {
    fileName: string;
    read: ReadResult;
    sheet?: string;
    headerRow?: number;
    template?: string;
    overrides?: Record<string, string>;
  },
): ImportPreview {
  const { read } = options;
  const prepared = pickSheet(read, options.fileName, options.sheet, options.headerRow);
  const { mapping, template } = proposeMapping(db, prepared.headers, options);
  const { sheet, headerIndex, headers } = prepared;
  const rows: ImportPreview['rows'] = [];
  for (let i = headerIndex + 1; i < sheet.rows.length && rows.length < PREVIEW_ROWS; i += 1) {
    const cells = (sheet.rows[i] ?? []).map((cell) => scanCardNumbers(cellToText(cell, true)).masked);
    if (cells.every((cell) => cell === '')) continue;
    rows.push({ row: sheet.rowNumbers[i] ?? i + 1, cells: headers.map((_, c) => cells[c] ?? '') });
  }
  const missing = missingRequired(mapping);
  // The delivery date is optional, but a column of dates is worth proposing for it too.
  const unmapped = mapping.delivery_date === undefined ? [...missing, 'delivery_date' as const] : missing;
  const byField = Object.fromEntries(FIELDS.map((field) => [field, mapping[field] ?? null])) as ImportPreview['mapping'];
  return {
    fileName: options.fileName,
    kind: read.kind,
    encoding: read.encoding,
    delimiter: read.delimiter,
    sheets: read.sheets.flatMap((s) => (s.name === null ? [] : [s.name])),
    hiddenSheets: read.sheets.flatMap((s) => (s.name === null || !s.hidden ? [] : [s.name])),
    sheet: sheet.name,
    headerRow: sheet.rowNumbers[headerIndex] ?? headerIndex + 1,
    headers,
    mapping: byField,
    template,
    templates: listTemplates(db).map((t) => t.name),
    missingRequired: missing,
    rows,
    suggestions: suggestColumns(headers, mapping, rows, unmapped),
    dataRows: Math.max(0, sheet.rows.length - headerIndex - 1),
  };
}
