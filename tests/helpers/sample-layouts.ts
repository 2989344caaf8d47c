import { type SampleRow, sampleLine } from '../../scripts/fixtures/sample-sheets';

/**
 * Headers written as half-width kana readings, as some clients' systems export them: only メール and トークン
 * mean anything to the dictionary, so no header row is detected.
 */
export const KANA_HEADERS = ['ﾃﾞﾝﾋﾟｮｳNO', 'ﾄｸｲｻｷCD', 'ﾄｸｲｻｷﾒｲ', 'ﾒｰﾙ', 'ﾋﾝﾊﾞﾝ', 'ｽｳﾘｮｳ', 'ﾀﾝｶ', 'ﾄｰｸﾝ', 'ﾉｳﾋﾝｻｷ', 'ﾉｳｷ', 'ﾋﾞｺｳ'];
/** field=header overrides for the kana sheet, as staff would type them. */
export const KANA_MAP: Record<string, string> = {
  order_ref: 'ﾃﾞﾝﾋﾟｮｳNO',
  customer_id: 'ﾄｸｲｻｷCD',
  customer_name: 'ﾄｸｲｻｷﾒｲ',
  sku: 'ﾋﾝﾊﾞﾝ',
  quantity: 'ｽｳﾘｮｳ',
  unit_price: 'ﾀﾝｶ',
  shipping_address: 'ﾉｳﾋﾝｻｷ',
  delivery_date: 'ﾉｳｷ',
};
export function kanaSheet(prefix: string): SampleRow[] {
  return [
    ['発注書'],
    [],
    KANA_HEADERS,
    sampleLine(`${prefix}-1`),
    sampleLine(`${prefix}-1`, { 品番: 'SKU-2', 単価: 300 }),
    sampleLine(`${prefix}-2`),
  ];
}
