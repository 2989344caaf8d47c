import * as XLSX from '@e965/xlsx';
import { type Cell, isNumberCell } from './types';
import { normaliseText } from './values';

/**
 * Delivery dates as Japanese sheets write them: Date cells, Excel serials, yyyy/mm/dd, yyyy-mm-dd,
 * yyyy年m月d日, yyyymmdd, a date-time (its date part), Japanese era dates (令和7年12月1日, 令和元年, R7.12.1,
 * R07/12/01, H31/4/30, full-width digits) and dates without a year (12月1日, 12/1: the nearest such date on
 * or after the day of the import).
 */

/**
 * Era start days (the first day of year 1, 元年). An era date is valid from its era's start to the day before
 * the next's, except where the era changed during a day: 1926-12-25 is both 大正15年12月25日 and 昭和元年12月25日
 * (`sharesLastDay`; 平成 and 令和 began the day after the last one ended).
 */
export const ERAS = [
  { name: '令和', letter: 'R', start: [2019, 5, 1], sharesLastDay: false },
  { name: '平成', letter: 'H', start: [1989, 1, 8], sharesLastDay: false },
  { name: '昭和', letter: 'S', start: [1926, 12, 25], sharesLastDay: false },
  { name: '大正', letter: 'T', start: [1912, 7, 30], sharesLastDay: true },
] as const;

export interface DateReading {
  /** ISO yyyy-mm-dd. */
  date: string;
  /** The text had no year: the year was chosen (the next such date on or after the reference day). */
  yearless: boolean;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function formatDate(date: Date): string {
  // SheetJS builds Date cells in local time; read them back the same way.
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isRealDay(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || m < 1 || m > 12 || d < 1) return false;
  const leap = m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0);
  return d <= (DAYS_IN_MONTH[m - 1] as number) + (leap ? 1 : 0);
}

function validDate(y: number, m: number, d: number): string | null {
  if (!isRealDay(y, m, d) || y < 1900 || y > 2200) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

const dayNumber = (y: number, m: number, d: number) => y * 10_000 + m * 100 + d;

function eraDate(era: string, yearText: string, m: number, d: number): string | null {
  const index = ERAS.findIndex((e) => e.name === era || e.letter === era);
  const entry = ERAS[index];
  if (!entry) return null;
  const year = yearText === '元' ? 1 : Number(yearText);
  if (!Number.isInteger(year) || year < 1) return null;
  const y = entry.start[0] + year - 1;
  if (!isRealDay(y, m, d)) return null;
  const day = dayNumber(y, m, d);
  const [sy, sm, sd] = entry.start;
  if (day < dayNumber(sy, sm, sd)) return null;
  const next = ERAS[index - 1];
  const nextStart = next ? dayNumber(next.start[0], next.start[1], next.start[2]) : Number.POSITIVE_INFINITY;
  if (day > nextStart || (day === nextStart && !entry.sharesLastDay)) return null;
  return validDate(y, m, d);
}

/** The first (month, day) on or after the reference day, in its local calendar; Feb 29 waits for a leap year. */
function nextOccurrence(m: number, d: number, day: Date | undefined): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const reference = day ?? new Date();
  const today = dayNumber(reference.getFullYear(), reference.getMonth() + 1, reference.getDate());
  for (let y = reference.getFullYear(); y <= reference.getFullYear() + 8; y += 1) {
    if (isRealDay(y, m, d) && dayNumber(y, m, d) >= today) return validDate(y, m, d);
  }
  return null;
}

const YMD = /^(\d{4})[/\-.年](\d{1,2})[/\-.月](\d{1,2})日?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const ERA = /^(令和|平成|昭和|大正|[RHST])(元|\d{1,2})[/\-.年](\d{1,2})[/\-.月](\d{1,2})日?$/;
const MONTH_DAY = /^(\d{1,2})(?:月(\d{1,2})日|\/(\d{1,2}))$/;
/** A time after the date (`10:00`, `T10:00:00`), or a weekday in brackets (`（月）`): not part of the date. */
const TRAILER = /(?:\([月火水木金土日]\))?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;

/** yyyy/mm/dd or yyyy-mm-dd in ASCII (most cells, and every stored date): read without any pattern work. */
function plainDate(text: string): DateReading | null {
  if (text.length !== 10) return null;
  const separator = text.charCodeAt(4);
  if ((separator !== 47 && separator !== 45) || text.charCodeAt(7) !== separator) return null;
  let y = 0;
  let m = 0;
  let d = 0;
  for (let i = 0; i < 10; i += 1) {
    if (i === 4 || i === 7) continue;
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    if (i < 4) y = y * 10 + digit;
    else if (i < 7) m = m * 10 + digit;
    else d = d * 10 + digit;
  }
  return known(validDate(y, m, d));
}

const SPACES = /\s+/g;

function readText(raw: string, reference: Date | undefined): DateReading | null {
  const plain = plainDate(raw);
  if (plain) return plain;
  let text = normaliseText(raw);
  if (text.includes(':') || text.includes('(')) text = text.replace(TRAILER, '');
  text = text.replace(SPACES, '').toUpperCase();
  let match = YMD.exec(text);
  if (match) return known(validDate(Number(match[1]), Number(match[2]), Number(match[3])));
  match = ERA.exec(text);
  if (match) return known(eraDate(match[1] as string, match[2] as string, Number(match[3]), Number(match[4])));
  match = COMPACT.exec(text);
  if (match) return known(validDate(Number(match[1]), Number(match[2]), Number(match[3])));
  match = MONTH_DAY.exec(text);
  if (match) {
    const date = nextOccurrence(Number(match[1]), Number(match[2] ?? match[3]), reference);
    return date === null ? null : { date, yearless: true };
  }
  if (/^\d{5}$/.test(text)) return readSerial(Number(text));
  return null;
}

function known(date: string | null): DateReading | null {
  return date === null ? null : { date, yearless: false };
}

function readSerial(value: number): DateReading | null {
  // A date-time serial's fraction is the time of day.
  const day = Math.floor(value);
  if (!Number.isFinite(day) || day < 1 || day > 120_000) return null;
  const parsed = XLSX.SSF.parse_date_code(day);
  return parsed ? known(validDate(parsed.y, parsed.m, parsed.d)) : null;
}

/** Reads a date cell; `reference` is the day a date without a year is counted from (the import's day; today by default). */
export function readDate(cell: Cell, reference?: Date): DateReading | null {
  if (cell === null) return null;
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : { date: formatDate(cell), yearless: false };
  if (isNumberCell(cell)) {
    // 20251201 typed into a number cell: yyyymmdd, not a serial (those stop at 120,000, the year 2228).
    if (Number.isInteger(cell.v) && cell.v >= 19_000_101 && cell.v <= 22_001_231) return readText(String(cell.v), reference);
    return readSerial(cell.v);
  }
  if (typeof cell !== 'string') return null;
  return readText(cell, reference);
}

/** A date as ISO yyyy-mm-dd, or null. */
export function parseDate(cell: Cell, reference?: Date): string | null {
  return readDate(cell, reference)?.date ?? null;
}
