import { createHash } from 'node:crypto';
import { AppError } from '../shared/errors';
import { resources } from '../shared/i18n';
import { FIELDS, type Field, isField, REQUIRED_FIELDS } from '../shared/fields';
import { type Cell, cellText } from './types';

/**
 * Header names seen on real order sheets, per field. Matching is exact after normalising (NFKC, case,
 * spaces and punctuation): no fuzzy edit distance, which on two-kanji headers matches the wrong column
 * (単価 vs 単位, 数量 vs 数値).
 */
export const DICTIONARY: Record<Field, readonly string[]> = {
  order_ref: [
    '注文番号',
    '受注番号',
    '発注番号',
    '注文No',
    '注文NO',
    '受注No',
    '発注No',
    '伝票番号',
    'オーダー番号',
    'Order No',
    'Order Number',
    'Order ID',
    'Order Ref',
    'Order Reference',
    'PO Number',
    'PO No',
  ],
  customer_id: [
    '顧客ID',
    '顧客コード',
    '顧客番号',
    '得意先コード',
    '得意先ID',
    '得意先番号',
    '取引先コード',
    'Customer ID',
    'Customer Code',
    'Customer No',
    'Client Code',
    'Account Code',
  ],
  customer_name: [
    '顧客名',
    '得意先名',
    '取引先名',
    '会社名',
    '顧客名称',
    '得意先名称',
    'お客様名',
    'Customer Name',
    'Customer',
    'Company',
    'Company Name',
    'Client Name',
  ],
  email: ['メール', 'メールアドレス', 'Eメール', 'E-mail', 'Email', 'Email Address', 'Mail', '連絡先メール'],
  sku: [
    '品番',
    '商品コード',
    '品目コード',
    '商品番号',
    '型番',
    'JANコード',
    'SKU',
    'Item Code',
    'Product Code',
    'Item No',
    'Part No',
    'Part Number',
  ],
  quantity: ['数量', '個数', '注文数', '受注数', '発注数', 'Qty', 'Quantity', 'Units'],
  unit_price: [
    '単価',
    '販売単価',
    '税込単価',
    '価格',
    // Tax-exclusive unit prices: the brackets fold away when matching, so 単価(税抜) and 単価（税抜） are one entry.
    '単価(税抜)',
    '税抜単価',
    '単価(税別)',
    '税別単価',
    'Unit Price',
    'Price',
    'Price per Unit',
  ],
  card_token: ['決済トークン', 'カードトークン', '支払トークン', 'トークン', 'Payment Token', 'Card Token', 'Token'],
  shipping_address: [
    '納品先住所',
    '配送先住所',
    'お届け先住所',
    '届け先住所',
    '納品先',
    '配送先',
    'お届け先',
    '住所',
    'Ship To',
    'Shipping Address',
    'Delivery Address',
    'Address',
  ],
  delivery_date: [
    '希望納品日',
    '納品日',
    '納期',
    '配送希望日',
    'お届け希望日',
    '希望配送日',
    'Delivery Date',
    'Requested Date',
    'Due Date',
    'Ship Date',
  ],
  notes: ['備考', 'メモ', '摘要', '特記事項', '備考欄', 'Notes', 'Note', 'Remarks', 'Comments', 'Memo'],
  line_amount: ['金額', '明細金額', '小計', '行金額', '販売金額', 'Amount', 'Line Amount', 'Line Total', 'Subtotal', 'Extended Price'],
};

/** Normalises a header for exact matching: NFKC, lower case, no spaces, no punctuation. */
export function normaliseHeader(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u3000_\-・.:：()（）[\]【】「」#＃/]/g, '');
}

const LOOKUP: ReadonlyMap<string, Field> = new Map(
  FIELDS.flatMap((field) => DICTIONARY[field].map((alias) => [normaliseHeader(alias), field] as const)),
);

export function matchHeader(text: string): Field | undefined {
  return LOOKUP.get(normaliseHeader(text));
}

/** field -> 0-based column index. */
export type ColumnMapping = Partial<Record<Field, number>>;

/**
 * The header row is the first row (within the first 50) where at least three cells name known fields:
 * title rows ("2026年11月度 発注一覧") and notes above it are skipped.
 */
export function detectHeaderRow(
  rows: readonly Cell[][],
  // Another dictionary (a master list's) detects its own header row the same way.
  match: (text: string) => string | undefined = matchHeader,
  enough: number = REQUIRED_FIELDS.length,
  least = 3,
): number | null {
  let best: { index: number; score: number } | null = null;
  for (let i = 0; i < Math.min(rows.length, 50); i += 1) {
    const row = rows[i] ?? [];
    const matched = new Set<string>();
    for (const cell of row) {
      const field = match(cellText(cell));
      if (field) matched.add(field);
    }
    if (matched.size >= least && (!best || matched.size > best.score)) best = { index: i, score: matched.size };
    if (best && matched.size >= enough) break;
  }
  return best?.index ?? null;
}

export function autoMapping(headers: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  headers.forEach((header, index) => {
    const field = matchHeader(header);
    // The first column that names a field wins; a second one is left for staff to map.
    if (field && mapping[field] === undefined) mapping[field] = index;
  });
  return mapping;
}

const LABELS: ReadonlyMap<string, Field> = new Map(
  FIELDS.flatMap((field) =>
    [resources.ja.translation.fields[field], resources.en.translation.fields[field]].map(
      (label) => [normaliseHeader(label), field] as const,
    ),
  ),
);

/** A field named by its internal name (`unit_price`) or its label in either language (`単価`, `Unit price`). */
function fieldOf(key: string): Field | undefined {
  return isField(key) ? key : LABELS.get(normaliseHeader(key));
}

/** Applies staff overrides given as field -> header text (or 1-based column number). */
export function applyOverrides(mapping: ColumnMapping, headers: readonly string[], overrides: Record<string, string>): ColumnMapping {
  const next: ColumnMapping = { ...mapping };
  for (const [key, target] of Object.entries(overrides)) {
    const field = fieldOf(key);
    if (!field) throw new AppError('IMPORT_MAPPING_INVALID', { mapping: `${key}=${target}` });
    if (target === '') {
      delete next[field];
      continue;
    }
    const byName = headers.findIndex((h) => h === target || normaliseHeader(h) === normaliseHeader(target));
    const byNumber = /^\d+$/.test(target) ? Number(target) - 1 : -1;
    const index = byName >= 0 ? byName : byNumber;
    // The field travels as its name; the message shows its label (the mapping formatter).
    if (index < 0 || index >= headers.length) throw new AppError('IMPORT_MAPPING_INVALID', { mapping: `${field}=${target}` });
    next[field] = index;
  }
  return next;
}

export function missingRequired(mapping: ColumnMapping): Field[] {
  // A line amount (金額) column stands in for unit price: the price is derived from it.
  return REQUIRED_FIELDS.filter((field) => mapping[field] === undefined && !(field === 'unit_price' && mapping.line_amount !== undefined));
}

/** Identifies a header set regardless of column order, so a saved template is found for the next file like it. */
export function headerSignature(headers: readonly string[]): string {
  const normalised = headers.map(normaliseHeader).filter(Boolean).sort();
  return createHash('sha256').update(JSON.stringify(normalised)).digest('hex');
}

/** Stored form of a mapping: by header text, so it survives columns being reordered. */
export function mappingToHeaders(mapping: ColumnMapping, headers: readonly string[]): Partial<Record<Field, string>> {
  const out: Partial<Record<Field, string>> = {};
  for (const field of FIELDS) {
    const index = mapping[field];
    if (index !== undefined && headers[index] !== undefined) out[field] = headers[index];
  }
  return out;
}

export function mappingFromHeaders(stored: Partial<Record<string, string>>, headers: readonly string[]): ColumnMapping {
  const out: ColumnMapping = {};
  for (const field of FIELDS) {
    const header = stored[field];
    if (header === undefined) continue;
    const index = headers.findIndex((h) => normaliseHeader(h) === normaliseHeader(header));
    if (index >= 0) out[field] = index;
  }
  return out;
}
