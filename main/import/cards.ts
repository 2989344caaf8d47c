/**
 * Card numbers in cell text: 13-19 decimal digits (any script's digits: ASCII, full-width, Arabic-Indic...)
 * passing the Luhn check, written either as one run or grouped as cards are printed (4-4-4-4, 4-4-4-4-3,
 * 4-6-5, 4-6-4: fours with a shorter last group), the groups separated by short runs of characters that are
 * neither letters nor digits (space, tab, line break, `-`, `.`, `/`, `_`, en dash, the long-vowel mark `ー`
 * an IME types for a hyphen...). Other groupings are not card numbers: phone numbers (03-1234-5678 / ...),
 * postal codes, order numbers like 20251201-000002 pass Luhn one time in ten, and masking destroys them. A
 * single run of 13 or 14 digits with a valid GTIN/JAN check digit is a product code, in any column.
 * One pass over the text plus at most 19 x 19 steps per digit group: linear in the cell's length.
 */

/** Longest separator between two digit groups of one card number ("several spaces", "\r\n  "). */
const MAX_GAP = 8;
const MIN_DIGITS = 13;
const MAX_DIGITS = 19;

const DECIMAL_DIGIT = /^\p{Nd}$/u;
// Modifier letters (the long-vowel marks ー/ｰ, 々) separate groups like a hyphen: staff type ー for -.
const LETTER_OR_NUMBER = /[\p{Lu}\p{Ll}\p{Lt}\p{Lo}\p{N}]/u;
const nonAsciiDigits = new Map<number, number>();

/**
 * The value of a decimal digit (any script), or -1. Unicode puts each script's digits 0-9 in one ascending
 * run, so a digit's value is its distance from the start of its run, modulo 10 (runs of several sets, like
 * the mathematical digits, are whole sets).
 */
export function digitValue(code: number): number {
  if (code < 0x80) return code >= 48 && code <= 57 ? code - 48 : -1;
  if (code >= 0xff10 && code <= 0xff19) return code - 0xff10;
  // Kana, kanji and Hangul hold no decimal digits: Japanese text never reaches the look-up below.
  if ((code >= 0x2000 && code < 0xa620) || (code >= 0xac00 && code < 0xff10)) return -1;
  const known = nonAsciiDigits.get(code);
  if (known !== undefined) return known;
  let value = -1;
  if (DECIMAL_DIGIT.test(String.fromCodePoint(code))) {
    let start = code;
    while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
    value = (code - start) % 10;
  }
  if (nonAsciiDigits.size < 10_000) nonAsciiDigits.set(code, value);
  return value;
}

function isLetterOrNumber(code: number): boolean {
  if (code < 0x80) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
  return LETTER_OR_NUMBER.test(String.fromCodePoint(code));
}

/** Decimal digits in a text, any script; stops counting at 13 (no card number can be in fewer). */
function hasEnoughDigits(text: string): boolean {
  if (text.length < MIN_DIGITS) return false;
  let digits = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      if (code >= 48 && code <= 57 && ++digits >= MIN_DIGITS) return true;
    } else if (code >= 0xff10 || code < 0x2000 || (code >= 0xa620 && code < 0xac00) || (code >= 0xd800 && code < 0xdc00)) {
      const point = text.codePointAt(i) ?? code;
      if (digitValue(point) >= 0 && ++digits >= MIN_DIGITS) return true;
      if (point > 0xffff) i += 1;
    }
  }
  return false;
}

function luhn(digits: readonly number[], from: number, to: number): boolean {
  let sum = 0;
  for (let i = to - 1, k = 0; i >= from; i -= 1, k += 1) {
    let d = digits[i] as number;
    if (k % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** GTIN/JAN check digit: product codes in the SKU column are not card numbers. */
function isGtin(digits: readonly number[], from: number, to: number): boolean {
  const length = to - from;
  if (length !== 8 && length !== 12 && length !== 13 && length !== 14) return false;
  let sum = 0;
  for (let i = to - 2, k = 0; i >= from; i -= 1, k += 1) sum += (digits[i] as number) * (k % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === digits[to - 1];
}

/** A digit group: where it is in the text, and where its digits are in the sequence's digit list. */
interface Group {
  start: number;
  end: number;
  first: number;
  last: number;
}

export interface CardScan {
  /** The text with every card number masked (only the last four digits kept). */
  masked: string;
  found: boolean;
}

/**
 * Finds card numbers anywhere in a text. A card number is never stored, not even encrypted: only the masked
 * form (`************1111`, separators dropped) leaves this function.
 */
export function scanCardNumbers(text: string): CardScan {
  if (!hasEnoughDigits(text)) return { masked: text, found: false };
  const spans: { start: number; end: number; digits: number[] }[] = [];
  // Reused for every sequence: a cell of many short digit runs allocates nothing per run.
  const groups: Group[] = [];
  const digits: number[] = [];
  /** Separator characters since the last group, or -1 when the sequence is broken. */
  let gap = -1;

  const closeSequence = () => {
    if (digits.length >= MIN_DIGITS) findCards(groups, digits, spans);
    groups.length = 0;
    digits.length = 0;
    gap = -1;
  };

  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i) ?? 0;
    const width = code > 0xffff ? 2 : 1;
    const value = digitValue(code);
    if (value >= 0) {
      const current = groups[groups.length - 1];
      if (current && current.end === i) {
        current.end = i + width;
        current.last = digits.length;
      } else {
        if (gap < 0 || gap > MAX_GAP) closeSequence();
        groups.push({ start: i, end: i + width, first: digits.length, last: digits.length });
      }
      digits.push(value);
      gap = 0;
    } else if (gap >= 0) {
      gap = isLetterOrNumber(code) ? -1 : gap + 1;
    }
    i += width;
  }
  closeSequence();
  if (spans.length === 0) return { masked: text, found: false };
  let masked = '';
  let at = 0;
  for (const span of spans) {
    masked += `${text.slice(at, span.start)}${'*'.repeat(span.digits.length - 4)}${span.digits.slice(-4).join('')}`;
    at = span.end;
  }
  return { masked: masked + text.slice(at), found: true };
}

const groupLength = (group: Group) => group.last - group.first + 1;

/** Whether groups s..e are grouped as card numbers are written: one run, fours with a last of 1-4, 4-6-5, 4-6-4. */
function cardGrouping(groups: readonly Group[], s: number, e: number): boolean {
  if (e === s) return true;
  const lengths = groups.slice(s, e + 1).map(groupLength);
  if (lengths.length === 3 && lengths[0] === 4 && lengths[1] === 6) return lengths[2] === 5 || lengths[2] === 4;
  const lastLength = lengths[lengths.length - 1] as number;
  return lengths.slice(0, -1).every((length) => length === 4) && lastLength >= 1 && lastLength <= 4;
}

/** In one sequence of digit groups: from each group on, the longest run of whole groups that is a card number. */
function findCards(groups: readonly Group[], digits: readonly number[], out: { start: number; end: number; digits: number[] }[]) {
  let s = 0;
  while (s < groups.length) {
    const from = (groups[s] as Group).first;
    let found = -1;
    for (let e = s; e < groups.length; e += 1) {
      const to = (groups[e] as Group).last + 1;
      const count = to - from;
      if (count > MAX_DIGITS) break;
      if (count < MIN_DIGITS || !cardGrouping(groups, s, e) || !luhn(digits, from, to)) continue;
      if (e === s && isGtin(digits, from, to)) continue;
      found = e;
    }
    if (found < 0) {
      s += 1;
      continue;
    }
    const last = groups[found] as Group;
    out.push({ start: (groups[s] as Group).start, end: last.end, digits: digits.slice(from, last.last + 1) });
    s = found + 1;
  }
}

/** The text with every card number masked (as scanCardNumbers), without allocating for the usual cell that has none. */
export function maskCardNumbers(text: string): string {
  return hasEnoughDigits(text) ? scanCardNumbers(text).masked : text;
}
