import type { DelimiterName, TextEncoding } from '../shared/encodings';

/**
 * A number cell as read from a file: its value, and the text the sheet displays (codes like 00123 need it).
 * The shape of SheetJS's own number cells, so a workbook's cells are used as they are, not copied.
 */
export type NumberCell = { readonly t: 'n'; readonly v: number; readonly w?: string };
export type Cell = string | NumberCell | Date | boolean | null;

export function isNumberCell(cell: Cell): cell is NumberCell {
  return typeof cell === 'object' && cell !== null && !(cell instanceof Date);
}

/** The text of a cell as staff would see it in Excel. */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return numberText(cell);
}

export function numberText(cell: NumberCell): string {
  return cell.w ?? String(cell.v);
}

export interface SheetRows {
  name: string | null;
  /** Rows as read, blank rows included. */
  rows: Cell[][];
  /** The file row number (1-based, as Excel shows it) of each entry in rows. */
  rowNumbers: number[];
  /** Hidden or very hidden in the workbook: never chosen automatically, only when staff name it. */
  hidden?: boolean;
}

export type SourceKind = 'xlsx' | 'xlsm' | 'xls' | 'csv' | 'tsv';

export interface ReadResult {
  kind: SourceKind;
  /** For text files: the encoding used to decode them, and the column delimiter found. */
  encoding: TextEncoding | null;
  delimiter: DelimiterName | null;
  sheets: SheetRows[];
}

export interface ImportLimits {
  maxBytes: number;
  maxRows: number;
  /** Largest total uncompressed size a workbook may declare, and its largest compression ratio. */
  maxUncompressedBytes: number;
  maxCompressionRatio: number;
}

export const DEFAULT_LIMITS: ImportLimits = {
  maxBytes: 50 * 1024 * 1024,
  maxRows: 200_000,
  maxUncompressedBytes: 500 * 1024 * 1024,
  maxCompressionRatio: 200,
};
