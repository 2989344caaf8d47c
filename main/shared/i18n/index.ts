import { createInstance, type i18n, type Module, type TFunction } from 'i18next';
import en from './en.json';
import ja from './ja.json';

export const resources = { ja: { translation: ja }, en: { translation: en } } as const;
export const SUPPORTED_LOCALES = ['ja', 'en'] as const;
export const DEFAULT_LOCALE = 'ja';

/** One i18next instance per caller (renderer, CLI); Japanese first, English second. */
export function createI18n(lng: string = DEFAULT_LOCALE, plugins: readonly Module[] = []): i18n {
  const instance = createInstance();
  for (const plugin of plugins) instance.use(plugin);
  // initAsync: false with in-memory resources makes init synchronous; the promise carries nothing.
  void instance.init({
    resources,
    lng,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: [...SUPPORTED_LOCALES],
    interpolation: { escapeValue: false },
    // An empty English string is meant (e.g. no "行目" after a row number): not a missing one to fall back from.
    returnEmptyString: true,
    initAsync: false,
  });
  // Errors carry field names (unit_price), never labels: messages show the label in the reader's language.
  const label = (name: string, lng: string | undefined) => instance.t(`fields.${name}`, { lng, defaultValue: name });
  // A comma-separated list of fields.
  instance.services.formatter?.add('fieldLabels', (value: unknown, lng: string | undefined) =>
    String(value)
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean)
      .map((name) => label(name, lng))
      .join(lng === 'en' ? ', ' : '、'),
  );
  // A column mapping as typed, field=column: the field part is labelled.
  instance.services.formatter?.add('mapping', (value: unknown, lng: string | undefined) => {
    const text = String(value);
    const at = text.indexOf('=');
    return at > 0 ? `${label(text.slice(0, at).trim(), lng)}=${text.slice(at + 1)}` : text;
  });
  return instance;
}

/** Picks ja or en from a POSIX/Windows locale string such as "en_US.UTF-8"; Japanese otherwise. */
export function localeFromEnv(value: string | undefined): 'ja' | 'en' {
  return value?.toLowerCase().startsWith('en') ? 'en' : 'ja';
}

export type { TFunction };
