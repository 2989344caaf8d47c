import type { TFunction } from 'i18next';

// Numbers, yen and times for people, formatted by i18next's Intl formatters in the language `t` speaks; the
// patterns live in ja.json / en.json (cli.format.*). Times are in this machine's time zone (TZ), with its name.

/** 45,000 */
export const count = (t: TFunction, value: number): string => t('cli.format.count', { value });

/** ￥1,234 in Japanese, ¥1,234 in English (as the desktop app shows yen). */
export const yen = (t: TFunction, value: number): string => t('cli.format.yen', { value });

/** 2026/12/01(火) 02:00 JST / Tue, Dec 1, 2026, 02:00 GMT+9 */
export const dateTime = (t: TFunction, iso: string): string => t('cli.format.dateTime', { value: new Date(iso) });

/** 2026/12/01 02:00 / Dec 1, 2026, 02:00: for table cells, where the zone would repeat on every line. */
export const shortDateTime = (t: TFunction, iso: string): string => t('cli.format.shortDateTime', { value: new Date(iso) });
