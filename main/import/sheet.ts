import { AppError } from '../shared/errors';
import type { Db } from '../store/database';
import { findTemplateByName, findTemplateBySignature } from '../store/templates';
import {
  applyOverrides,
  type ColumnMapping,
  autoMapping,
  detectHeaderRow,
  headerSignature,
  mappingFromHeaders,
  missingRequired,
} from './mapping';
import { maskCardNumbers, normaliseText } from './normalize';
import { type Cell, cellText, type ReadResult, type SheetRows } from './types';

/** Which sheet and header row of a file hold the orders, and which column is which field. */

const BLANK = /^[\s\u3000\uFEFF]*$/;

export function isBlank(row: readonly Cell[]): boolean {
  return row.every((cell) => cell === null || (typeof cell === 'string' && (BLANK.test(cell) || normaliseText(cell) === '')));
}

export interface PreparedSheet {
  sheet: SheetRows;
  headerIndex: number;
  headers: string[];
}

function prepare(sheet: SheetRows, headerIndex: number): PreparedSheet {
  // Headers are stored with the batch: a card number in one is masked like one in a cell.
  const headers = (sheet.rows[headerIndex] ?? []).map((cell) => maskCardNumbers(normaliseText(cellText(cell))));
  return { sheet, headerIndex, headers };
}

/** The index of the row staff named as the header; a row outside the sheet or a blank one is refused. */
function headerIndexAt(sheet: SheetRows, fileName: string, headerRow: number): number {
  const index = sheet.rowNumbers.indexOf(headerRow);
  if (index < 0 || isBlank(sheet.rows[index] ?? [])) throw new AppError('IMPORT_HEADER_ROW_INVALID', { file: fileName, row: headerRow });
  return index;
}

/**
 * The sheet and header row to import. Named sheets are used even when hidden; otherwise only visible sheets
 * are considered (a hidden sheet is often last month's data), the first whose header row is found. With a
 * header row given, that row is the header, of the named sheet or the sheet detection would pick (else the
 * first visible sheet holding rows), so staff can map columns whose header names nothing known.
 */
export function pickSheet(
  read: ReadResult,
  fileName: string,
  wanted: string | undefined,
  headerRow?: number,
  /** How a header row is recognised (a master list has its own dictionary). */
  detect: (rows: readonly Cell[][]) => number | null = detectHeaderRow,
): PreparedSheet {
  if (wanted !== undefined) {
    const sheet = read.sheets.find((s) => s.name === wanted);
    if (!sheet) throw new AppError('IMPORT_SHEET_NOT_FOUND', { sheet: wanted });
    const index = headerRow === undefined ? detect(sheet.rows) : headerIndexAt(sheet, fileName, headerRow);
    if (index === null) throw new AppError('IMPORT_NO_HEADER', { file: fileName });
    return prepare(sheet, index);
  }
  const visible = read.sheets.filter((s) => !s.hidden);
  for (const sheet of visible) {
    const index = detect(sheet.rows);
    if (index !== null) return prepare(sheet, headerRow === undefined ? index : headerIndexAt(sheet, fileName, headerRow));
  }
  const sheet = visible.find((s) => s.rows.length > 0);
  if (headerRow === undefined || !sheet) throw new AppError('IMPORT_NO_HEADER', { file: fileName });
  return prepare(sheet, headerIndexAt(sheet, fileName, headerRow));
}

/** The mapping to use: a named template, else one saved for this header set, else automatic; then staff overrides. */
export function proposeMapping(
  db: Db,
  headers: string[],
  options: { template?: string; overrides?: Record<string, string> },
): { mapping: ColumnMapping; template: string | null } {
  let mapping: ColumnMapping;
  let template: string | null = null;
  if (options.template) {
    const saved = findTemplateByName(db, options.template);
    if (!saved) throw new AppError('TEMPLATE_NOT_FOUND', { name: options.template });
    mapping = mappingFromHeaders(saved.mapping, headers);
    template = saved.name;
  } else {
    const saved = findTemplateBySignature(db, headerSignature(headers));
    mapping = saved ? mappingFromHeaders(saved.mapping, headers) : autoMapping(headers);
    template = saved?.name ?? null;
  }
  if (options.overrides) mapping = applyOverrides(mapping, headers, options.overrides);
  return { mapping, template };
}

export function chooseMapping(
  db: Db,
  headers: string[],
  options: { template?: string; overrides?: Record<string, string> },
): { mapping: ColumnMapping; template: string | null } {
  const { mapping, template } = proposeMapping(db, headers, options);
  const missing = missingRequired(mapping);
  if (missing.length) throw new AppError('IMPORT_MAPPING_INCOMPLETE', { fields: missing.join(', ') });
  return { mapping, template };
}
