import { describe, expect, it } from 'vitest';
import { REQUIRED_FIELDS } from '../shared/fields';
import { autoMapping, missingRequired } from './mapping';
import { headerAffixField, suggestColumns } from './suggest';

const rows = (...lines: string[][]) => lines.map((cells) => ({ cells }));

describe('mapping suggestions', () => {
  it('proposes a column whose header begins or ends with one dictionary name of the field', () => {
    expect(headerAffixField('お客様メールアドレス')).toBe('email');
    expect(headerAffixField('Customer E-mail')).toBe('email');
    expect(headerAffixField('ご注文番号')).toBe('order_ref');
    expect(headerAffixField('商品コード（社内）')).toBe('sku');
  });

  it('never proposes by similar kanji, short names or headers naming two fields', () => {
    expect(headerAffixField('単位')).toBeUndefined(); // not 単価
    expect(headerAffixField('数値')).toBeUndefined(); // not 数量
    expect(headerAffixField('請求先住所')).toBeUndefined(); // 住所 is two characters
    expect(headerAffixField('仕入単価')).toBeUndefined();
    // The last word names the thing, and the longest name wins: the customer's email, not a name or address.
    expect(headerAffixField('顧客名メール')).toBe('email');
    expect(headerAffixField('Customer Email Address')).toBe('email');
    // The exact name is the automatic mapping's job, not a suggestion.
    expect(headerAffixField('メール')).toBeUndefined();
  });

  it('proposes columns by their values: emails, dates, yen amounts, SKU codes, tokens, addresses', () => {
    const headers = ['番号', 'ﾒｲｱﾄﾞ', 'ﾋﾂﾞｹ', 'ｷﾝｶﾞｸ', 'ｺｰﾄﾞ', 'ﾄｰｸﾝ', 'ｼﾞｭｳｼｮ', 'ｽｳ'];
    const samples = rows(
      ['1', 'a@example.jp', '2026/12/01', '¥1,500', 'SKU-1', 'tok_abc', '東京都千代田区1-1', '2'],
      ['2', 'b@example.co.jp', '2026年12月3日', '12,000円', 'AB-1234-X', 'tok_def', '〒530-0001 大阪府大阪市北区梅田1-1', '10'],
      ['3', '', '2026-12-04', '3,200', 'SKU-22', 'tok_ghi', '神奈川県横浜市西区1-2', '1'],
    );
    const missing = [...REQUIRED_FIELDS, 'delivery_date' as const];
    expect(suggestColumns(headers, {}, samples, missing)).toEqual([
      { field: 'email', column: 1, reason: 'email' },
      { field: 'sku', column: 4, reason: 'sku' },
      { field: 'unit_price', column: 3, reason: 'yen' },
      { field: 'card_token', column: 5, reason: 'token' },
      { field: 'shipping_address', column: 6, reason: 'address' },
      { field: 'delivery_date', column: 2, reason: 'date' },
    ]);
  });

  it('is conservative: one odd value, a single sample, plain numbers or a column already in use propose nothing', () => {
    const missing = ['email', 'unit_price'] as const;
    expect(suggestColumns(['x'], {}, rows(['a@example.jp'], ['not an email']), missing)).toEqual([]);
    expect(suggestColumns(['x'], {}, rows(['a@example.jp'], ['']), missing)).toEqual([]);
    expect(suggestColumns(['x'], {}, rows(['1500'], ['980']), missing)).toEqual([]);
    expect(suggestColumns(['x', 'y'], { notes: 0 }, rows(['a@example.jp', ''], ['b@example.jp', '']), missing)).toEqual([]);
  });

  it('proposes only for the fields still missing after the automatic mapping', () => {
    const headers = ['注文番号', '得意先コード', '得意先名', 'お客様メール', '品番', '数量', '単価', '決済トークン', '納品先住所'];
    const mapping = autoMapping(headers);
    const samples = rows(['PO-1', 'C001', 'テスト', 'a@example.jp', 'SKU-1', '1', '1500', 'tok_a', '東京都千代田区1-1']);
    expect(suggestColumns(headers, mapping, samples, missingRequired(mapping))).toEqual([{ field: 'email', column: 3, reason: 'header' }]);
  });
});
