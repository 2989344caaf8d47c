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
    initAsync: false,
  });
  return instance;
}

/** Picks ja or en from a POSIX/Windows locale string such as "en_US.UTF-8"; Japanese otherwise. */
export function localeFromEnv(value: string | undefined): 'ja' | 'en' {
  return value?.toLowerCase().startsWith('en') ? 'en' : 'ja';
}

export type { TFunction };
