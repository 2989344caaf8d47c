import { describe, expect, it } from 'vitest';
import { issueText } from '../issue-text';
import en from './en.json';
import { createI18n, IDENTIFIER_PARAMS } from './index';
import ja from './ja.json';

/** Every message as [key, template], English plural forms included. */
function leaves(value: unknown, prefix = ''): [string, string][] {
  if (typeof value === 'string') return [[prefix, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

// Kana, kanji, Japanese punctuation and full-width forms.
const J = '[\\u3000-\\u30ff\\u4e00-\\u9fff\\uff00-\\uffef]';
const PARTICLE = '(?:が|を|は|に|で|の|と|も|へ|から|まで|より)';
const PLACEHOLDER = /\{\{\s*([^},\s]+)\s*(?:,\s*([^}]+))?\}\}/g;

/** What reads machine-made in a Japanese template; empty when it reads as written by hand. */
function japaneseProblems(text: string): string[] {
  const problems: string[] = [];
  const space = (pattern: string, what: string) => {
    for (const match of text.matchAll(new RegExp(pattern, 'g'))) problems.push(`${what}: «${match[0]}»`);
  };
  // "{{field}} が", "メール が", "CSV の": no space before a particle, whatever comes before it.
  space(`\\S[ \\u00a0]+${PARTICLE}`, 'space before a particle');
  // "メイン メニュー", "有効 {{count}}", "{{count}} 件", "上限 100 円": no half-width space inside Japanese text.
  space(`${J}[ \\u00a0]+(?:${J}|\\d|\\{\\{)`, 'space after Japanese text');
  space(`(?:\\}\\}|\\d)[ \\u00a0]+${J}`, 'space before Japanese text');
  // "マスタ: 無効": Japanese text takes the full-width colon.
  space(`${J}:`, 'half-width colon after Japanese text');
  return problems;
}

/** Sample parameters for a template: counts and amounts large enough to need separators. */
function sampleParams(template: string): Record<string, unknown> {
  const params: Record<string, unknown> = { count: 45000 };
  let n = 0;
  for (const [, name, format] of template.matchAll(PLACEHOLDER)) {
    if (!name || name in params) continue;
    if (format === 'fieldLabels') params[name] = 'email,sku';
    else if (format === 'mapping') params[name] = 'email=D';
    else if (name === 'field') params[name] = 'email';
    else if (name === 'formatted') params[name] = '45,000';
    // Identifiers are small on purpose: a batch 12345 shown as 12345 is right, and not what this test looks for.
    else if (IDENTIFIER_PARAMS.has(name)) params[name] = 7;
    else params[name] = n++ % 2 ? 3_600_000 : 45_000;
  }
  return params;
}

// A run of 4+ digits that is not part of a date (2026/11/25) or already separated (45,000).
const BARE_NUMBER = /(?<![\d,./-])\d{4,}(?![\d/-])/;

const jaMessages = leaves(ja);
const enMessages = leaves(en);

describe('Japanese messages', () => {
  it('have no space before a particle and none inside Japanese text', () => {
    const found = jaMessages.flatMap(([key, text]) => japaneseProblems(text).map((p) => `${key}: ${p}`));
    expect(found).toEqual([]);
  });

  it('show every number with thousands separators', () => {
    for (const lng of ['ja', 'en'] as const) {
      const { t } = createI18n(lng);
      const found = (lng === 'ja' ? jaMessages : enMessages)
        // A date-time format prints a year ("Dec 1, 2026"): a year is not a count.
        .filter(([, template]) => !template.includes(', datetime('))
        .map(([key, template]) => [key.replace(/_(one|other)$/, ''), t(key.replace(/_(one|other)$/, ''), sampleParams(template))])
        .filter(([, text]) => BARE_NUMBER.test(text ?? ''));
      expect(found, lng).toEqual([]);
    }
  });

  it('write validation problems as staff read them, with separators in totals and master prices', () => {
    const { t } = createI18n('ja');
    const total = issueText(t, { code: 'AMOUNT_ABOVE_MAX', field: 'total_amount', value: '3600000' });
    expect(total).toBe('注文合計3,600,000円が、決済の上限（1,000,000円）を超えています。この注文は決済できません。');
    const price = issueText(t, {
      code: 'PRICE_MISMATCH',
      field: 'unit_price',
      value: '1450',
      master: '12000',
      suggestions: ['A-1', 'A-2'],
    });
    expect(price).toBe('単価「1450」がマスタの単価12,000円と一致しません。候補：A-1、A-2');
    for (const [code] of leaves(ja.validation)) {
      const text = issueText(t, { code, field: 'total_amount', value: '45000', master: '3600000' });
      expect(japaneseProblems(text), code).toEqual([]);
      expect(text, code).not.toMatch(BARE_NUMBER);
    }
  });

  it('keep identifiers as they are written: batch, row and port numbers get no separators', () => {
    const { t } = createI18n('ja');
    expect(t('errors.BATCH_NOT_FOUND', { batchId: 12345 })).toBe('バッチ12345が見つかりません。');
    expect(t('errors.SIM_PORT_IN_USE', { port: 8080 })).toContain('ポート8080は');
    expect(t('review.panel.line', { row: 10234 })).toBe('10234行目');
    expect(t('batches.count', { count: 45000 })).toBe('45,000件のバッチ');
    expect(t('cli.syncHealing', { count: 1234 })).toBe('要確認の注文1,234件をバックエンドで照会してから続行します。');
  });

  it('catch what they are meant to catch', () => {
    for (const bad of [
      '{{field}} が入力されていません。',
      'メール が入力されていません。',
      '注文合計 {{value}}円',
      '{{count}} 件',
      'メイン メニュー',
      '（マスタ: {{master}}）',
    ]) {
      expect(japaneseProblems(bad), bad).not.toEqual([]);
    }
    expect(japaneseProblems('{{field}}が入力されていません。')).toEqual([]);
    expect(japaneseProblems('「npm rebuild {{module}}」を実行')).toEqual([]);
    expect(BARE_NUMBER.test('有効 45000 件')).toBe(true);
    expect(BARE_NUMBER.test('45,000件、2026/11/25')).toBe(false);
  });
});

describe('English messages', () => {
  it('keep their spaces: no number or placeholder glued to a word, no Japanese punctuation', () => {
    const glued = enMessages.filter(([, text]) => /[A-Za-z]\{\{|\}\}[A-Za-z]|[「」（）：、。]/.test(text));
    expect(glued).toEqual([]);
    const { t } = createI18n('en');
    expect(t('batches.count', { count: 45000 })).toBe('45,000 batches');
  });

  it('use the same parameters as the Japanese ones', () => {
    const names = (text: string) => [...text.matchAll(PLACEHOLDER)].map((m) => m[1]).sort();
    const jaByKey = new Map(jaMessages);
    const differing = enMessages
      .map(([key, text]) => [key, names(text), names(jaByKey.get(key.replace(/_(one|other)$/, '')) ?? '')] as const)
      .filter(([key, enNames, jaNames]) => !/_one$/.test(key) && [...new Set(enNames)].join() !== [...new Set(jaNames)].join());
    expect(differing).toEqual([]);
  });
});
