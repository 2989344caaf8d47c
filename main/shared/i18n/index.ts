import { createInstance, type i18n, type Module, type TFunction } from 'i18next';
import en from './en.json';
import ja from './ja.json';

export const resources = { ja: { translation: ja }, en: { translation: en } } as const;
export const SUPPORTED_LOCALES = ['ja', 'en'] as const;
export const DEFAULT_LOCALE = 'ja';

/**
 * Parameters that name something rather than count it: shown as given, never with thousands separators
 * (batch 12345, row 10234 as Excel shows it, port 8080, HTTP 503, schema 4). Every other number in a message
 * is formatted for the reader's language ("45,000件"). A parameter passed as a string is never touched.
 */
export const IDENTIFIER_PARAMS: ReadonlySet<string> = new Set([
  'batchId',
  'row',
  'port',
  'status',
  'code',
  'version',
  'schemaVersion',
  'storeVersion',
  'appVersion',
  'runtimeAbi',
  'moduleAbi',
  'year',
  'runId',
]);

const numberFormats = new Map<string, Intl.NumberFormat>();
/** A number as the reader's language writes it: 3600000 → "3,600,000". */
export function formatNumber(value: number, lng: string | undefined): string {
  const locale = lng === 'en' ? 'en-US' : 'ja-JP';
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    numberFormats.set(locale, format);
  }
  return format.format(value);
}

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
    // alwaysFormat: every parameter passes the formatter below, so numbers get separators without ", number".
    interpolation: { escapeValue: false, alwaysFormat: true },
    // An empty English string is meant (e.g. no "行目" after a row number): not a missing one to fall back from.
    returnEmptyString: true,
    initAsync: false,
  });
  formatNumbersByDefault(instance);
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

type Format = (value: unknown, format: string | undefined, lng: string | undefined, options: Record<string, unknown>) => unknown;

/** A parameter without an explicit format: a finite number that is not an identifier gets separators. */
function formatNumbersByDefault(instance: i18n): void {
  const interpolator = instance.services.interpolator as unknown as { format: Format };
  const named: Format = interpolator.format.bind(interpolator);
  const format: Format = (value, formatName, lng, options) => {
    if (formatName) return named(value, formatName, lng, options);
    const key = typeof options.interpolationkey === 'string' ? options.interpolationkey : '';
    return typeof value === 'number' && Number.isFinite(value) && !IDENTIFIER_PARAMS.has(key) ? formatNumber(value, lng) : value;
  };
  interpolator.format = format;
}

/** Picks ja or en from a POSIX/Windows locale string such as "en_US.UTF-8"; Japanese otherwise. */
export function localeFromEnv(value: string | undefined): 'ja' | 'en' {
  return value?.toLowerCase().startsWith('en') ? 'en' : 'ja';
}

export type { TFunction };
