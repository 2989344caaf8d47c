import { FIELDS, type Field } from '../shared/fields';
import { DICTIONARY, type ColumnMapping, normaliseHeader } from './mapping';
import { EMAIL } from './normalize';

/**
 * Columns the wizard proposes for a field nothing is mapped to, as a one-click suggestion staff confirm.
 * Conservative on purpose (a wrong suggestion costs more than none), and never fuzzy:
 * - header: the column's header ends (else begins) with one of the field's dictionary names of 3 characters
 *   or more, and no other field's (`お客様メールアドレス`, `Customer E-mail`; not `単位` for 単価, nor
 *   `請求先住所`, whose 住所 has two characters);
 * - values: every non-empty sample (at least two) has the field's shape: an email address, a date written
 *   with its year, a yen amount (a yen sign or 円, or digits grouped by thousands), an SKU-like code
 *   (letters, a hyphen, digits: `SKU-1`, `AB-1234-X`), a payment token (`tok_…`), an address starting with a
 *   prefecture.
 * Only columns that no field uses are proposed; each field gets at most two, header matches first.
 */

export type SuggestionReason = 'header' | 'email' | 'date' | 'yen' | 'sku' | 'token' | 'address';

export interface MappingSuggestion {
  field: Field;
  /** 0-based column index. */
  column: number;
  reason: SuggestionReason;
}

const MIN_AFFIX = 3;
const MAX_PER_FIELD = 2;

const AFFIXES: readonly (readonly [Field, string])[] = FIELDS.flatMap((field) =>
  DICTIONARY[field].map((name) => [field, normaliseHeader(name)] as const).filter(([, name]) => [...name].length >= MIN_AFFIX),
);

/**
 * The field whose dictionary name the header ends with (the last word names the thing in Japanese and in
 * English: 顧客メール, Customer Email), else begins with; the longest name wins (Customer Email Address is
 * the email, not the address); undefined when none, or two fields' names of the same length.
 */
export function headerAffixField(header: string): Field | undefined {
  const text = normaliseHeader(header);
  const best = (matches: (name: string) => boolean): Field | undefined => {
    const found = AFFIXES.filter(([, name]) => text !== name && matches(name));
    const longest = Math.max(0, ...found.map(([, name]) => name.length));
    const fields = new Set(found.filter(([, name]) => name.length === longest).map(([field]) => field));
    return fields.size === 1 ? [...fields][0] : undefined;
  };
  return best((name) => text.endsWith(name)) ?? best((name) => text.startsWith(name));
}

const DATE = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)$/;
const YEN = /^([¥￥]\s?\d{1,3}(,\d{3})*|\d{1,3}(,\d{3})*\s?円|\d{1,3}(,\d{3})+)$/;
const SKU = /^[A-Za-z]{1,6}-\d{1,8}(-[A-Za-z0-9]{1,8})*$/;
const TOKEN = /^tok_[A-Za-z0-9_]+$/;
const ADDRESS = /^(〒?\d{3}-?\d{4}\s*)?(北海道|東京都|京都府|大阪府|\S{2,3}県)\S*\d/;

const VALUE_RULES: readonly { field: Field; reason: SuggestionReason; test: (value: string) => boolean }[] = [
  { field: 'email', reason: 'email', test: (v) => EMAIL.test(v) },
  { field: 'delivery_date', reason: 'date', test: (v) => DATE.test(v) },
  { field: 'unit_price', reason: 'yen', test: (v) => YEN.test(v) },
  { field: 'sku', reason: 'sku', test: (v) => SKU.test(v) },
  { field: 'card_token', reason: 'token', test: (v) => TOKEN.test(v) },
  { field: 'shipping_address', reason: 'address', test: (v) => ADDRESS.test(v) },
];

/** A column's non-empty sample values (NFKC, trimmed), as the wizard's preview rows show them. */
export function columnSamples(rows: readonly { cells: readonly string[] }[], column: number): string[] {
  return rows.map((row) => (row.cells[column] ?? '').normalize('NFKC').trim()).filter((value) => value !== '');
}

export function suggestColumns(
  headers: readonly string[],
  mapping: ColumnMapping,
  rows: readonly { cells: readonly string[] }[],
  missing: readonly Field[],
): MappingSuggestion[] {
  const used = new Set(Object.values(mapping));
  const free = headers.map((_, index) => index).filter((index) => !used.has(index));
  const wanted = new Set(missing);
  const out: MappingSuggestion[] = [];
  const add = (suggestion: MappingSuggestion) => {
    const already = out.filter((s) => s.field === suggestion.field);
    if (already.length < MAX_PER_FIELD && !already.some((s) => s.column === suggestion.column)) out.push(suggestion);
  };
  for (const column of free) {
    const field = headerAffixField(headers[column] ?? '');
    if (field && wanted.has(field)) add({ field, column, reason: 'header' });
  }
  for (const rule of VALUE_RULES) {
    if (!wanted.has(rule.field)) continue;
    for (const column of free) {
      const samples = columnSamples(rows, column);
      if (samples.length >= 2 && samples.every(rule.test)) add({ field: rule.field, column, reason: rule.reason });
    }
  }
  return FIELDS.flatMap((field) => out.filter((s) => s.field === field));
}
