/**
 * Near codes: what an unknown SKU may have been meant as. Codes are compared by a match key that drops
 * what staff and spreadsheets change without meaning another product: separators (`-`, `ー`, spaces, dots,
 * slashes), letter case, and leading zeros of each run of digits (`00123` typed into a number cell is `123`;
 * `A-0012` written `A12`). Width is already gone: codes are NFKC-normalised on import.
 */

import { PLAIN_ASCII } from '../import/values';

const SEPARATORS = /[\s\-‐‑‒–—―ー－_./]/g;
const LEADING_ZEROS = /(^|\D)0+(?=\d)/g;

export function matchKey(code: string): string {
  return (PLAIN_ASCII.test(code) ? code : code.normalize('NFKC')).toUpperCase().replace(SEPARATORS, '').replace(LEADING_ZEROS, '$1');
}

export const MAX_SUGGESTIONS = 3;

/** Up to three suggestions, best first, without the code itself or repeats. */
export function rankSuggestions(code: string, byJan: string | undefined, byKey: readonly string[]): string[] {
  const out: string[] = [];
  const add = (candidate: string | undefined) => {
    if (candidate && candidate !== code && !out.includes(candidate) && out.length < MAX_SUGGESTIONS) out.push(candidate);
  };
  // A JAN names exactly one product: the surest suggestion.
  add(byJan);
  // Then the nearest in length (a leading-zero difference of one digit before one of three).
  for (const candidate of [...byKey].sort(
    (a, b) => Math.abs(a.length - code.length) - Math.abs(b.length - code.length) || (a < b ? -1 : 1),
  ))
    add(candidate);
  return out;
}
