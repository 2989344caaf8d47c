import * as XLSX from '@e965/xlsx';
import { type Cell, isNumberCell, numberText } from './types';

/** NFKC (full-width digits and letters, half-width katakana) and trimming, including U+3000. */
const PLAIN_INTEGER = /^\d{1,15}$/;

// Printable ASCII with no space at either end is already normal: NFKC and trimming leave it as is.
const PLAIN_ASCII = /^(?:[!-~](?:[ -~]*[!-~])?)?$/;

export function normaliseText(text: string): string {
  if (PLAIN_ASCII.test(text)) return text;
  return text.normalize('NFKC').replace(/^[\s\u3000\uFEFF]+|[\s\u3000\uFEFF]+$/g, '');
}

export function cellToText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return normaliseText(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (cell instanceof Date) return formatDate(cell);
  return normaliseText(numberText(cell));
}

/**
 * Reads a yen amount or a count: "1,500", "¥1,500", "￥1,500", "\\1,500" (Shift_JIS yen arrives as a
 * backslash), "1500円", full-width digits. Returns null for anything that is not a finite number.
 */
export function parseNumber(cell: Cell): number | null {
  if (cell === null) return null;
  if (isNumberCell(cell)) return Number.isFinite(cell.v) ? cell.v : null;
  if (typeof cell !== 'string') return null;
  // Plain digits (most cells of a well-formed sheet): no normalising or pattern work needed.
  if (PLAIN_INTEGER.test(cell)) return Number(cell);
  const text = normaliseText(cell)
    .replace(/^[¥\\]\s*/, '')
    .replace(/\s*円$/, '')
    .replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  return Number(text);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function formatDate(date: Date): string {
  // SheetJS builds Date cells in local time; read them back the same way.
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function validDate(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  if (y < 1900 || y > 2200) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** Dates as Date cells, Excel serial numbers, yyyy/mm/dd, yyyy-mm-dd or yyyy年m月d日. Returns ISO yyyy-mm-dd or null. */
export function parseDate(cell: Cell): string | null {
  if (cell === null) return null;
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : formatDate(cell);
  if (isNumberCell(cell)) {
    if (!Number.isInteger(cell.v) || cell.v < 1 || cell.v > 120_000) return null;
    const parsed = XLSX.SSF.parse_date_code(cell.v);
    return parsed ? validDate(parsed.y, parsed.m, parsed.d) : null;
  }
  if (typeof cell !== 'string') return null;
  const text = normaliseText(cell);
  const match = text.match(/^(\d{4})[/\-.年](\d{1,2})[/\-.月](\d{1,2})日?$/);
  if (match) return validDate(Number(match[1]), Number(match[2]), Number(match[3]));
  if (/^\d{5}$/.test(text)) return parseDate({ t: 'n', v: Number(text), w: text });
  return null;
}

export const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** GTIN/JAN check digit: product codes in the SKU column are not card numbers. */
function isGtin(digits: string): boolean {
  if (digits.length !== 8 && digits.length !== 12 && digits.length !== 13 && digits.length !== 14) return false;
  let sum = 0;
  for (let i = 0; i < digits.length - 1; i += 1) sum += (digits.charCodeAt(digits.length - 2 - i) - 48) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(digits.length - 1) - 48;
}

// 13 to 19 digits, optionally grouped by single spaces or dashes.
const CARD_CANDIDATE = /(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])/g;

/** ASCII digits in a text: fewer than 13 and no card number can be in it (checked before the regex). */
function digitCount(text: string): number {
  let digits = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) digits += 1;
  }
  return digits;
}

/** Fewer than 13 digits: no card number can be in the text (most cells stop here). */
function mayHoldCardNumber(text: string): boolean {
  return text.length >= 13 && digitCount(text) >= 13;
}

/** The text with every card number masked (as scanCardNumbers), without allocating for the usual cell that has none. */
export function maskCardNumbers(text: string, skuColumn = false): string {
  return mayHoldCardNumber(text) ? scanCardNumbers(text, { skuColumn }).masked : text;
}

export interface CardScan {
  /** The text with every card number masked (only the last four digits kept). */
  masked: string;
  found: boolean;
}

/**
 * Finds card numbers (13-19 digits passing the Luhn check, with or without spaces/dashes) anywhere in a
 * cell. A card number is never stored, not even encrypted: only the masked form leaves this function.
 */
export function scanCardNumbers(text: string, options: { skuColumn?: boolean } = {}): CardScan {
  if (!mayHoldCardNumber(text)) return { masked: text, found: false };
  let found = false;
  const masked = text.replace(CARD_CANDIDATE, (match) => {
    const digits = match.replace(/[ -]/g, '');
    if (!luhn(digits)) return match;
    if (options.skuColumn && digits === match && isGtin(digits)) return match;
    found = true;
    return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
  });
  return { masked, found };
}
