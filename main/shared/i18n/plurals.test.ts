import { describe, expect, it } from 'vitest';
import en from './en.json';
import { createI18n } from './index';
import ja from './ja.json';

/** Every message as [key, template]. */
function leaves(value: unknown, prefix = ''): [string, string][] {
  if (typeof value === 'string') return [[prefix, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

const PLACEHOLDER = /\{\{\s*([^},\s]+)\s*(?:,\s*[^}]+)?\}\}/g;

/** Parameters for a template with every count set to n, passed the way the callers pass them (count beside the named one). */
function paramsFor(template: string, n: number): Record<string, unknown> {
  const params: Record<string, unknown> = { count: n };
  for (const [, name] of template.matchAll(PLACEHOLDER)) if (name && !(name in params)) params[name] = name === 'formatted' ? String(n) : n;
  return params;
}

const english = leaves(en);
const pluralised = english
  .filter(([key]) => key.endsWith('_one'))
  .map(([key, template]) => [key.slice(0, -'_one'.length), template] as const);
const tEn = createI18n('en').t;
const tJa = createI18n('ja').t;

describe('English plural forms', () => {
  it('render one thing in the singular and two in the plural, for every message with a count', () => {
    expect(pluralised.length).toBeGreaterThan(10);
    for (const [key, template] of pluralised) {
      const one = tEn(key, paramsFor(template, 1));
      const two = tEn(key, paramsFor(template, 2));
      expect(one, key).not.toMatch(/\{\{|_one|_other/);
      // "Every minute" names no number; a form with a placeholder shows the 1.
      if (template.includes('{{')) expect(one, key).toMatch(/\b1\b/);
      expect(two, key).toMatch(/\b2\b/);
      // More than the number changes between 1 and 2: the noun (or verb) follows it.
      expect(two.replaceAll('2', '1'), key).not.toBe(one);
    }
  });

  it('read as English should read for 1 and 2', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['review.bulk.setSelection', { count: 1, formatted: '1' }, 'Set on 1 selected row'],
      ['review.bulk.setSelection', { count: 2, formatted: '2' }, 'Set on 2 selected rows'],
      ['review.bulk.matches', { count: 1, formatted: '1' }, '1 match'],
      ['review.bulk.matches', { count: 2, formatted: '2' }, '2 matches'],
      ['review.bulk.done', { count: 1, cells: 1, valid: 1, orders: 1 }, 'Changed 1 cell. Valid orders: 1 of 1.'],
      ['review.bulk.done', { count: 2, cells: 2, valid: 1, orders: 1 }, 'Changed 2 cells. Valid orders: 1 of 1.'],
      ['review.bulk.undone', { count: 1, cells: 1 }, 'Undid 1 cell.'],
      ['review.bulk.pasteSkipped', { count: 1, skipped: 1 }, '1 cell that cannot be edited was not pasted into.'],
      ['review.moreErrors', { count: 1 }, '1 more problem'],
      ['masters.count', { count: 1, formatted: '1' }, '1 row'],
      [
        'confirm.summary.purged',
        { count: 1, orders: 1 },
        '1 order never synced whose personal data was deleted is left out. To sync it, import the original file again.',
      ],
      ['batches.count', { count: 1 }, '1 batch'],
      ['batches.next.notify', { count: 1, formatted: '1' }, 'Finish 1 pending notification'],
      [
        'import.doneSummary',
        { count: 1, total: '1', valid: '1', invalid: '0', lines: '3', seconds: '0.1' },
        'Imported 1 order (1 valid, 0 with errors) in 0.1 s. Lines read: 3.',
      ],
      [
        'import.doneSummary',
        { count: 2, total: '2', valid: '2', invalid: '0', lines: '3', seconds: '0.1' },
        'Imported 2 orders (2 valid, 0 with errors) in 0.1 s. Lines read: 3.',
      ],
    ];
    for (const [key, params, text] of cases) expect(tEn(key, params)).toBe(text);
  });

  it('leave Japanese with its one form, whatever the count (ja has only "other"; the plain key answers)', () => {
    for (const [key, template] of pluralised) {
      const plain = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], ja);
      expect(typeof plain, `ja ${key}`).toBe('string');
      for (const n of [1, 2]) {
        const text = tJa(key, paramsFor(template, n));
        expect(text, key).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
        expect(text, key).not.toMatch(/\{\{/);
      }
    }
    expect(tJa('review.bulk.matches', { count: 1, formatted: '1' })).toBe(
      tJa('review.bulk.matches', { count: 1, formatted: '1', lng: 'ja' }),
    );
    expect(tJa('review.moreErrors', { count: 1 })).toBe(ja.review.moreErrors.replace('{{count}}', '1'));
  });
});
