import type { Field } from '../shared/fields';
import { type NumberCell, numberText } from './types';

/**
 * What a cell's value becomes, per field. Codes, numbers, emails and dates are NFKC-normalised (full-width
 * digits and letters are the same code); names, addresses and notes are only width-folded, so what staff
 * wrote stays as written (`㈱`, `①`, `髙`, `Ⅱ`), while full-width ASCII and half-width katakana become
 * the usual forms.
 */

// Printable ASCII with no space at either end is already normal: both normalisers leave it as is.
export const PLAIN_ASCII = /^(?:[!-~](?:[ -~]*[!-~])?)?$/;
const EDGE_SPACE = /^[\s\u3000\uFEFF]+|[\s\u3000\uFEFF]+$/g;

/** NFKC (full-width digits and letters, half-width katakana) and trimming, including U+3000. */
export function normaliseText(text: string): string {
  if (PLAIN_ASCII.test(text)) return text;
  return text.normalize('NFKC').replace(EDGE_SPACE, '');
}

const WIDE_SIGNS: Record<string, string> = {
  '\uFFE0': '\u00A2',
  '\uFFE1': '\u00A3',
  '\uFFE2': '\u00AC',
  '\uFFE3': '\u00AF',
  '\uFFE4': '\u00A6',
  '\uFFE5': '\u00A5',
  '\uFFE6': '\u20A9',
};
const FOLDABLE = /[\uFF01-\uFF5E]|\u3000|[\uFF61-\uFF9F]+|[\uFFE0-\uFFE6]/g;
const COMBINING_KANA_MARK = /[\u3099\u309A]/;
const NEEDS_FOLDING = /[\uFF01-\uFF5E\u3000\uFF61-\uFF9F\uFFE0-\uFFE6\u3099\u309A]|^[\s\uFEFF]|[\s\uFEFF]$/;

/**
 * Width folding only: full-width ASCII (and U+3000) to half-width, half-width katakana to full-width with
 * their sound marks composed (ｶﾞ -> ガ); every other character as written. Trims like normaliseText.
 */
export function foldWidth(text: string): string {
  // Most names and addresses hold nothing to fold: one scan, no allocation.
  if (!NEEDS_FOLDING.test(text)) return text;
  let folded = text.replace(FOLDABLE, (match) => {
    const code = match.charCodeAt(0);
    if (code === 0x3000) return ' ';
    if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
    if (code >= 0xffe0) return WIDE_SIGNS[match] ?? match;
    // A run of half-width katakana: NFKC widens them and composes a sound mark with its kana.
    return match.normalize('NFKC');
  });
  // A half-width sound mark after a full-width kana: compose it too (カﾞ -> ガ).
  if (COMBINING_KANA_MARK.test(folded)) folded = folded.normalize('NFC');
  return folded.replace(EDGE_SPACE, '');
}

/** Fields that hold codes: a number cell gives its exact integer, never a rounded or exponent form. */
export const CODE_FIELD_LIST: readonly Field[] = ['order_ref', 'customer_id', 'sku', 'card_token'];
export const CODE_FIELDS: ReadonlySet<Field> = new Set(CODE_FIELD_LIST);

/** A field staff write in their own words (compared as constants: this runs for every cell). */
export function isWordField(field: Field): boolean {
  return field === 'customer_name' || field === 'shipping_address' || field === 'notes';
}

/** The normaliser of a field's text (unmapped columns are free text: width folding). */
export function normaliseFor(field: Field | null, text: string): string {
  return field === null || isWordField(field) ? foldWidth(text) : normaliseText(text);
}

const DIGITS = /^\d+$/;

/**
 * A code from a number cell: the text the sheet shows when it is the same number in plain digits (a format
 * like 00000 keeps leading zeros), else the exact integer. A number that is not an exact integer (over
 * 2^53 - 1, or with a fraction) has no exact code: it becomes its exponent form, which validation always
 * flags as INVALID_CODE (so a later revalidation flags it too), never a rounded code.
 */
export function codeFromNumber(cell: NumberCell): string {
  const { v, w } = cell;
  if (Number.isSafeInteger(v)) return w !== undefined && DIGITS.test(w) && Number(w) === v ? w : String(v);
  return v.toExponential().toUpperCase();
}

const EXPONENT_FORM = /^[+-]?\d+(?:\.\d+)?E[+-]\d+$/i;

/** A code written in exponent form (`4.90123E+12`): the digits of the real code are lost. */
export function isInexactCode(text: string): boolean {
  if (text.length < 4) return false;
  let e = text.indexOf('E');
  if (e < 0) e = text.indexOf('e');
  if (e < 0) return false;
  const sign = text.charCodeAt(e + 1);
  return (sign === 43 || sign === 45) && EXPONENT_FORM.test(text);
}

/**
 * The text of a number cell as staff see it, except that General's exponent display of a whole number
 * (`4.90123E+12` for a 13-digit JAN or phone number) gives the exact integer instead.
 */
export function numberDisplay(cell: NumberCell): string {
  const text = numberText(cell);
  if (Number.isSafeInteger(cell.v) && (text.includes('E') || text.includes('e'))) return String(cell.v);
  return text;
}
