import { createI18n } from '@shared/i18n';
import { initReactI18next } from 'react-i18next';

export const i18n = createI18n('ja', [initReactI18next]);

const intlLocale = (locale: string) => (locale === 'en' ? 'en-US' : 'ja-JP');

// Intl formatters are costly to build: one per locale and kind, reused (the review grid formats many cells).
const formatters = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, kind: 'yen' | 'count'): Intl.NumberFormat {
  const key = `${locale}:${kind}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(intlLocale(locale), kind === 'yen' ? { style: 'currency', currency: 'JPY' } : {});
    formatters.set(key, format);
  }
  return format;
}

export function formatYen(amount: number, locale: string): string {
  return numberFormat(locale, 'yen').format(amount);
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDateTime(iso: string, locale: string): string {
  let format = dateTimeFormats.get(locale);
  if (!format) {
    // One per locale, as for numbers: the audit log formats a date on each of its rows.
    format = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeStyle: 'short' });
    dateTimeFormats.set(locale, format);
  }
  return format.format(new Date(iso));
}

export function formatCount(value: number, locale: string): string {
  return numberFormat(locale, 'count').format(value);
}
