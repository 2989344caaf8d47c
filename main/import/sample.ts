import * as XLSX from '@e965/xlsx';
import iconv from 'iconv-lite';

/**
 * Realistic order sheets as corporate clients send them: a title row and a note above the header, Japanese
 * headers, full-width digits, yen signs, multi-line orders, a total row and trailing blanks. Used by the
 * tests, the benchmarks and the demo.
 */
export const SAMPLE_HEADERS = [
  '注文番号',
  '得意先コード',
  '得意先名',
  'メール',
  '品番',
  '数量',
  '単価',
  '決済トークン',
  '納品先住所',
  '希望納品日',
  '備考',
];

export type SampleRow = (string | number | Date | null)[];

export interface SampleOptions {
  orders: number;
  /** Lines per order cycle through 1..maxLines. */
  maxLines?: number;
  /** Mix in invalid orders (missing email, bad quantity, over the payment limit, a card number...). */
  withErrors?: boolean;
  /** Prefix of order numbers, so several files do not collide. */
  prefix?: string;
  /** Write amounts as text with yen signs and full-width digits, as some clients do. */
  messy?: boolean;
}

const COMPANIES = ['株式会社さくら商事', '有限会社みなと物産', 'ひかり工業株式会社', '株式会社ふじ電機', 'あおば食品株式会社'];
const CITIES = [
  '東京都千代田区丸の内1-1-1',
  '大阪府大阪市北区梅田2-2-2',
  '愛知県名古屋市中村区名駅3-3-3',
  '福岡県福岡市博多区博多駅前4-4-4',
];

function toFullWidth(text: string): string {
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
}

export function sampleOrderRows(options: SampleOptions): SampleRow[] {
  const maxLines = options.maxLines ?? 3;
  const prefix = options.prefix ?? 'PO';
  const rows: SampleRow[] = [['2026年11月度 発注一覧'], ['※ 金額は税込です。ご不明点は営業担当まで。'], SAMPLE_HEADERS];
  for (let i = 1; i <= options.orders; i += 1) {
    const ref = `${prefix}-${String(i).padStart(6, '0')}`;
    const company = COMPANIES[i % COMPANIES.length] ?? '';
    const lines = 1 + ((i - 1) % maxLines);
    let email = `order${i}@example.co.jp`;
    let token = `tok_${(i * 7919).toString(36)}`;
    let badQuantity = false;
    let bigPrice = false;
    if (options.withErrors) {
      if (i % 50 === 7) email = '';
      if (i % 50 === 13) email = 'not-an-email';
      if (i % 50 === 21) badQuantity = true;
      if (i % 50 === 29) bigPrice = true;
      if (i % 50 === 37) token = '4111 1111 1111 1111';
    }
    for (let line = 0; line < lines; line += 1) {
      const quantity = badQuantity && line === 0 ? '二' : 1 + ((i + line) % 5);
      const price = bigPrice ? 600_000 : 500 + ((i * 37 + line * 101) % 20) * 100;
      rows.push([
        ref,
        `C${String(1000 + (i % 400)).padStart(5, '0')}`,
        company,
        email,
        `SKU-${String(100 + ((i + line) % 900)).padStart(4, '0')}`,
        options.messy && typeof quantity === 'number' ? toFullWidth(String(quantity)) : quantity,
        options.messy ? `￥${price.toLocaleString('en-US')}` : price,
        token,
        `〒100-0005 ${CITIES[i % CITIES.length] ?? ''}`,
        `2026/12/${String(1 + (i % 28)).padStart(2, '0')}`,
        line === 0 && i % 10 === 0 ? '午前中着希望' : null,
      ]);
    }
  }
  rows.push(['合計', null, null, null, null, null, null, null, null, null, null], [], []);
  return rows;
}

export function workbookBytes(
  rows: SampleRow[],
  bookType: 'xlsx' | 'xlsm' | 'xls',
  sheetName = '受注一覧',
  extraSheets: Record<string, SampleRow[]> = {},
): Buffer {
  const workbook = XLSX.utils.book_new();
  for (const [name, sheetRows] of Object.entries(extraSheets))
    XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(sheetRows), name);
  XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(rows, { cellDates: true }), sheetName);
  // Shared strings and compression, as Excel itself writes workbooks.
  return XLSX.write(workbook, { type: 'buffer', bookType, bookSST: true, compression: true }) as Buffer;
}

function csvCell(value: SampleRow[number], delimiter: string): string {
  if (value === null) return '';
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  return text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r')
    ? `"${text.replaceAll('"', '""')}"`
    : text;
}

export function textBytes(rows: SampleRow[], encoding: 'utf-8' | 'utf-8-bom' | 'shift_jis', delimiter = ','): Buffer {
  const text = `${rows.map((row) => row.map((cell) => csvCell(cell, delimiter)).join(delimiter)).join('\r\n')}\r\n`;
  if (encoding === 'shift_jis') {
    // Windows Excel writes the yen sign as byte 0x5C, which decodes as a backslash.
    return iconv.encode(text.replaceAll('￥', '\\').replaceAll('¥', '\\'), 'Shift_JIS');
  }
  const body = Buffer.from(text, 'utf8');
  return encoding === 'utf-8-bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

/** One valid order line in the sample layout, with values overridden by header (for tests). */
export function sampleLine(ref: string, overrides: Partial<Record<string, string | number | Date | null>> = {}): SampleRow {
  const base: Record<string, string | number | Date | null> = {
    注文番号: ref,
    得意先コード: 'C001',
    得意先名: '株式会社テスト',
    メール: 'buyer@example.co.jp',
    品番: 'SKU-1',
    数量: 2,
    単価: 1500,
    決済トークン: 'tok_abc',
    納品先住所: '東京都千代田区1-1',
    希望納品日: '2026/12/01',
    備考: null,
    ...overrides,
  };
  return SAMPLE_HEADERS.map((h) => base[h] ?? null);
}
