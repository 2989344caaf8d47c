import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../errors';
import en from './en.json';
import { createI18n, localeFromEnv } from './index';
import ja from './ja.json';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}
// English plural forms (count_one / count_other) stand for one Japanese key.
const normalise = (list: string[]) => [...new Set(list.map((k) => k.replace(/_(one|other)$/, '')))].sort();

describe('translations', () => {
  it('have the same keys in Japanese and English', () => {
    expect(normalise(keys(en))).toEqual(normalise(keys(ja)));
  });

  it('translate every error code in both languages', () => {
    for (const code of ERROR_CODES) {
      expect(ja.errors, code).toHaveProperty(code);
      expect(en.errors, code).toHaveProperty(code);
    }
  });

  it('keep a string English leaves empty on purpose empty (no Japanese fallback)', () => {
    expect(createI18n('en').t('import.headerRowSuffix')).toBe('');
    expect(createI18n('ja').t('import.headerRowSuffix')).toBe('行目');
  });

  it('default to Japanese and interpolate parameters', () => {
    const t = createI18n().t;
    expect(t('errors.STORE_LOCKED', { path: '/d/x.db' })).toContain('/d/x.db');
    expect(t('errors.STORE_LOCKED', { path: '/d/x.db' })).toMatch(/使用中/);
    expect(createI18n('en').t('batches.count', { count: 2 })).toBe('2 batches');
    expect(createI18n('fr').t('nav.batches')).toBe('バッチ一覧');
  });

  it('pick the language from the environment, Japanese unless English is asked for', () => {
    expect(localeFromEnv('en_US.UTF-8')).toBe('en');
    expect(localeFromEnv('ja_JP.UTF-8')).toBe('ja');
    expect(localeFromEnv(undefined)).toBe('ja');
    expect(localeFromEnv('C')).toBe('ja');
  });
});
