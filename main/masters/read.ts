import { parseAmount } from '../import/amounts';
import { fieldText } from '../import/cells';
import { detectHeaderRow, normaliseHeader } from '../import/mapping';
import { readSpreadsheet } from '../import/reader';
import { isBlank, pickSheet } from '../import/sheet';
import { type Cell, DEFAULT_LIMITS, type ImportLimits } from '../import/types';
import { isInexactCode } from '../import/values';
import { AppError } from '../shared/errors';
import type { CustomerRow, MasterList, MasterRows, PriceRow, ProductRow } from '../store/masters';
import { type AnyMasterField, MASTER_FIELDS, MASTER_REQUIRED, matchMasterHeader } from './dictionary';
import { matchKey } from './near';

/** A master list can be far longer than an order sheet (200,000 products and more). */
export const MASTER_LIMITS: ImportLimits = { ...DEFAULT_LIMITS, maxRows: 1_000_000, maxBytes: 200 * 1024 * 1024 };

export const MASTER_ROW_CODES = ['REQUIRED', 'INVALID_CODE', 'INVALID_PRICE', 'INVALID_DATE', 'INVALID_FLAG', 'DUPLICATE_KEY'] as const;
export type MasterRowCode = (typeof MASTER_ROW_CODES)[number];

/** A row of the file that was not imported, and why (the value is a code, price, date or flag: never a name). */
export interface MasterRowError {
  row: number;
  field: string;
  code: MasterRowCode;
  value: string;
}

export interface MasterFile<L extends MasterList> {
  sheet: string | null;
  headerRow: number;
  /** field -> header text. */
  mapping: Record<string, string>;
  rows: MasterRows[L][];
  errors: MasterRowError[];
}

const YES = new Set([
  '1',
  'true',
  'yes',
  'y',
  'on',
  '有効',
  '有',
  'あり',
  '○',
  '◯',
  '〇',
  '●',
  '取扱中',
  '販売中',
  '取引中',
  'active',
  'enabled',
]);
const NO = new Set(['0', 'false', 'no', 'n', 'off', '無効', '無', 'なし', '×', '✕', '-', 'inactive', 'disabled']);
/** Words saying a product or customer has stopped: "no" in an active column, "yes" in a discontinued one. */
const STOPPED = new Set(['廃番', '廃止', '終了', '停止', '中止', '販売終了', '取引停止', '取引中止', 'discontinued', 'suspended']);

/** A flag cell: true, false, or null when blank; undefined when it cannot be read. */
function flag(cell: Cell, stoppedMeans: boolean, now: Date): boolean | null | undefined {
  if (cell === null) return null;
  if (typeof cell === 'boolean') return cell;
  const text = fieldText('quantity', cell, now).toLowerCase();
  if (text === '') return null;
  if (STOPPED.has(text)) return stoppedMeans;
  if (YES.has(text)) return true;
  if (NO.has(text)) return false;
  return undefined;
}

/** field -> column, from the dictionary then `--map` overrides (field=header text or 1-based column). */
function mapColumns(list: MasterList, headers: readonly string[], overrides: Record<string, string>): Map<string, number> {
  const mapping = new Map<string, number>();
  headers.forEach((header, index) => {
    const field = matchMasterHeader(list, header);
    if (field && !mapping.has(field)) mapping.set(field, index);
  });
  const known = new Set<string>(MASTER_FIELDS[list]);
  for (const [key, target] of Object.entries(overrides)) {
    const field = known.has(key) ? key : matchMasterHeader(list, key);
    if (!field) throw new AppError('IMPORT_MAPPING_INVALID', { mapping: `${key}=${target}` });
    if (target === '') {
      mapping.delete(field);
      continue;
    }
    const byName = headers.findIndex((h) => normaliseHeader(h) === normaliseHeader(target));
    const index = byName >= 0 ? byName : /^\d+$/.test(target) ? Number(target) - 1 : -1;
    if (index < 0 || index >= headers.length) throw new AppError('IMPORT_MAPPING_INVALID', { mapping: `${field}=${target}` });
    mapping.set(field, index);
  }
  const missing = (MASTER_REQUIRED[list] as readonly string[]).filter((field) => !mapping.has(field));
  if (missing.length) throw new AppError('IMPORT_MAPPING_INCOMPLETE', { fields: missing.join(', ') });
  return mapping;
}

/** Reads one row's cells into a list row, or records why it cannot be imported. */
class RowReader {
  constructor(
    private readonly cells: readonly Cell[],
    private readonly mapping: ReadonlyMap<string, number>,
    private readonly row: number,
    private readonly errors: MasterRowError[],
    private readonly now: Date,
  ) {}
  ok = true;

  private cell(field: AnyMasterField): Cell {
    const index = this.mapping.get(field);
    return index === undefined ? null : (this.cells[index] ?? null);
  }

  private fail(field: string, code: MasterRowCode, value: string): null {
    this.errors.push({ row: this.row, field, code, value });
    this.ok = false;
    return null;
  }

  /** A code, exact as an order's (NFKC; a number cell's integer); required ones must be there. */
  code(field: AnyMasterField, required: boolean): string | null {
    const text = fieldText('sku', this.cell(field), this.now);
    if (text === '') return required ? this.fail(field, 'REQUIRED', '') : null;
    if (isInexactCode(text)) return this.fail(field, 'INVALID_CODE', text);
    return text;
  }

  /** A name or address: width-folded only, as an order's. */
  words(field: AnyMasterField): string | null {
    return fieldText('customer_name', this.cell(field), this.now) || null;
  }

  email(): string | null {
    return fieldText('email', this.cell('email'), this.now) || null;
  }

  price(required: boolean): number | null {
    const cell = this.cell('unit_price');
    const text = fieldText('unit_price', cell, this.now);
    if (text === '') return required ? this.fail('unit_price', 'REQUIRED', '') : null;
    const n = parseAmount(cell);
    if (n === null || !Number.isSafeInteger(n) || n < 0) return this.fail('unit_price', 'INVALID_PRICE', text);
    return n;
  }

  date(field: 'valid_from' | 'valid_to'): string | null {
    const cell = this.cell(field);
    const text = fieldText('delivery_date', cell, this.now);
    if (text === '') return null;
    return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : this.fail(field, 'INVALID_DATE', text);
  }

  /** Active unless an active column says no or a discontinued column says yes. */
  active(): 0 | 1 {
    const active = flag(this.cell('active'), false, this.now);
    const discontinued = flag(this.cell('discontinued'), true, this.now);
    if (active === undefined) this.fail('active', 'INVALID_FLAG', fieldText('notes', this.cell('active'), this.now));
    if (discontinued === undefined) this.fail('discontinued', 'INVALID_FLAG', fieldText('notes', this.cell('discontinued'), this.now));
    return active === false || discontinued === true ? 0 : 1;
  }
}

type RowBuilder<L extends MasterList> = (r: RowReader) => MasterRows[L] | null;

const BUILDERS: { [L in MasterList]: RowBuilder<L> } = {
  products: (r): ProductRow | null => {
    const sku = r.code('sku', true);
    const row: ProductRow = {
      sku: sku ?? '',
      jan: r.code('jan', false),
      name: r.words('name') ?? '',
      unit_price: r.price(false),
      active: r.active(),
      valid_from: r.date('valid_from'),
      valid_to: r.date('valid_to'),
      match_key: sku ? matchKey(sku) : '',
    };
    return r.ok ? row : null;
  },
  customers: (r): CustomerRow | null => {
    const row: CustomerRow = {
      customer_id: r.code('customer_id', true) ?? '',
      name: r.words('name') ?? '',
      email: r.email(),
      address: r.words('address'),
      active: r.active(),
    };
    return r.ok ? row : null;
  },
  prices: (r): PriceRow | null => {
    const row: PriceRow = {
      customer_id: r.code('customer_id', true) ?? '',
      sku: r.code('sku', true) ?? '',
      unit_price: r.price(true) ?? 0,
    };
    return r.ok ? row : null;
  },
};

/** What identifies a row of the list (a second row with the same key is refused). */
export function rowKey(list: MasterList, row: MasterRows[MasterList]): string {
  if (list === 'prices') {
    const price = row as PriceRow;
    return `${price.customer_id}\t${price.sku}`;
  }
  return list === 'products' ? (row as ProductRow).sku : (row as CustomerRow).customer_id;
}

/**
 * Reads a master list file with the order import's reader and header detection, the list's own dictionary,
 * and the order import's normalisation (codes NFKC and exact, names width-folded only). Rows that cannot be
 * read are left out and listed in `errors`; blank rows are skipped.
 */
export function readMasterFile<L extends MasterList>(
  list: L,
  source: { fileName: string; bytes: Uint8Array; sheet?: string; overrides?: Record<string, string>; now?: Date },
): MasterFile<L> {
  const read = readSpreadsheet(source.fileName, source.bytes, { limits: MASTER_LIMITS });
  const match = (text: string) => matchMasterHeader(list, text);
  const least = MASTER_REQUIRED[list].length === 1 ? 2 : 3;
  const prepared = pickSheet(read, source.fileName, source.sheet, undefined, (rows) =>
    detectHeaderRow(rows, match, MASTER_FIELDS[list].length, least),
  );
  const mapping = mapColumns(list, prepared.headers, source.overrides ?? {});
  const now = source.now ?? new Date();
  const build = BUILDERS[list] as RowBuilder<L>;
  const rows: MasterRows[L][] = [];
  const errors: MasterRowError[] = [];
  const seen = new Set<string>();
  const { sheet } = prepared;
  for (let i = prepared.headerIndex + 1; i < sheet.rows.length; i += 1) {
    const cells = sheet.rows[i] ?? [];
    if (isBlank(cells)) continue;
    const rowNumber = sheet.rowNumbers[i] ?? i + 1;
    const row = build(new RowReader(cells, mapping, rowNumber, errors, now));
    if (!row) continue;
    const key = rowKey(list, row);
    if (seen.has(key)) {
      errors.push({ row: rowNumber, field: MASTER_REQUIRED[list][0] as string, code: 'DUPLICATE_KEY', value: key.replace('\t', ' / ') });
      continue;
    }
    seen.add(key);
    rows.push(row);
  }
  const byHeader: Record<string, string> = {};
  for (const [field, index] of mapping) byHeader[field] = prepared.headers[index] ?? '';
  return {
    sheet: sheet.name,
    headerRow: sheet.rowNumbers[prepared.headerIndex] ?? prepared.headerIndex + 1,
    mapping: byHeader,
    rows,
    errors,
  };
}
