import { createI18n } from '@shared/i18n';
import { initReactI18next } from 'react-i18next';

export const i18n = createI18n('ja', [initReactI18next]);

const intlLocale = (locale: string) => (locale === 'en' ? 'en-US' : 'ja-JP');

export function formatYen(amount: number, locale: string): string {
  return new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency: 'JPY' }).format(amount);
}

export function formatDateTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatCount(value: number, locale: string): string {
  return new Intl.NumberFormat(intlLocale(locale)).format(value);
}
