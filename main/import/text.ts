import Papa from 'papaparse';
import { DELIMITER_NAMES, DELIMITERS, type DelimiterName, type EncodingOption, type TextEncoding } from '../shared/encodings';

const BOMS: readonly (readonly [TextEncoding, readonly number[]])[] = [
  ['utf-8', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

function bomEncoding(bytes: Uint8Array): TextEncoding | null {
  for (const [encoding, bom] of BOMS) if (bom.every((byte, i) => bytes[i] === byte)) return encoding;
  return null;
}

/**
 * UTF-16 written without a BOM: Japanese sheets still hold ASCII digits, commas and line ends, whose high
 * byte is 0, so one byte of each pair is 0 far more often than the other.
 */
function utf16WithoutBom(bytes: Uint8Array): TextEncoding | null {
  const pairs = Math.min(bytes.length, 4096) >> 1;
  if (pairs < 2) return null;
  // Per byte order: pairs whose high byte is 0, and of those the ones holding printable ASCII or a tab/line end.
  const high = { le: 0, be: 0 };
  const text = { le: 0, be: 0 };
  const isText = (byte: number) => (byte >= 0x20 && byte < 0x7f) || byte === 9 || byte === 10 || byte === 13;
  for (let i = 0; i < pairs * 2; i += 2) {
    const even = bytes[i] ?? 0;
    const odd = bytes[i + 1] ?? 0;
    if (odd === 0) {
      high.le += 1;
      if (isText(even)) text.le += 1;
    }
    if (even === 0) {
      high.be += 1;
      if (isText(odd)) text.be += 1;
    }
  }
  // Binary data has zero bytes too, but not paired with text on one side only.
  const looks = (order: 'le' | 'be', other: 'le' | 'be') =>
    high[order] > pairs * 0.3 && high[other] < pairs * 0.05 && text[order] > high[order] * 0.9;
  if (looks('le', 'be')) return 'utf-16le';
  if (looks('be', 'le')) return 'utf-16be';
  return null;
}

function decodeStrict(bytes: Uint8Array, encoding: TextEncoding): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Hiragana and full-width katakana: nearly every Japanese sheet has some, and a wrong decoding has almost none. */
function kanaCount(text: string): number {
  return text.slice(0, 65536).match(/[\u3041-\u30ff]/g)?.length ?? 0;
}

/**
 * Shift_JIS or EUC-JP, for bytes that are not UTF-8. Only one of them valid decides it. Both valid happens
 * (EUC-JP's byte pairs are mostly valid Shift_JIS half-width kana and kanji): EUC-JP wins when it reads as
 * more hiragana/katakana, since EUC-JP read as Shift_JIS turns them all into half-width kana.
 */
function legacyJapanese(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  const sjis = decodeStrict(bytes, 'shift_jis');
  const euc = decodeStrict(bytes, 'euc-jp');
  if (euc !== null && (sjis === null || kanaCount(euc) > kanaCount(sjis))) return { text: euc, encoding: 'euc-jp' };
  // Invalid in both: Shift_JIS (Excel's default in Japan), with replacement characters where bytes are bad.
  return { text: sjis ?? new TextDecoder('shift_jis').decode(bytes), encoding: 'shift_jis' };
}

/**
 * Decodes a text file. Automatic: a BOM decides (UTF-8, UTF-16LE as Excel's "Unicode text", UTF-16BE); then
 * UTF-16 without BOM; then UTF-8 when the bytes are valid UTF-8; otherwise Shift_JIS (CP932) or EUC-JP.
 */
export function decodeText(bytes: Uint8Array, option: EncodingOption): { text: string; encoding: TextEncoding } {
  if (option !== 'auto') return { text: new TextDecoder(option).decode(bytes), encoding: option };
  const declared = bomEncoding(bytes) ?? utf16WithoutBom(bytes);
  if (declared) return { text: new TextDecoder(declared).decode(bytes), encoding: declared };
  const utf8 = decodeStrict(bytes, 'utf-8');
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
  return legacyJapanese(bytes);
}

const SNIFF_CHARS = 65536;
const SNIFF_ROWS = 50;

/**
 * How well a delimiter splits the first rows: the rows sharing the most common field count (of at least
 * two), weighted by that count. A `;` file whose amounts hold commas ("1,234") splits unevenly on commas.
 */
function splitScore(sample: string, delimiter: string): number {
  const parsed = Papa.parse<string[]>(sample, { delimiter, preview: SNIFF_ROWS, skipEmptyLines: 'greedy' });
  const frequency = new Map<number, number>();
  for (const row of parsed.data) if (row.length >= 2) frequency.set(row.length, (frequency.get(row.length) ?? 0) + 1);
  let best = 0;
  for (const [fields, rows] of frequency) best = Math.max(best, rows * (fields - 1));
  return best;
}

/** The delimiter of a text file: comma, tab or semicolon, whichever splits its first rows most consistently; `preferred` on a tie. */
export function sniffDelimiter(text: string, preferred: DelimiterName): DelimiterName {
  let sample = text.slice(0, SNIFF_CHARS);
  if (text.length > SNIFF_CHARS && sample.lastIndexOf('\n') > 0) sample = sample.slice(0, sample.lastIndexOf('\n'));
  const candidates = [preferred, ...DELIMITER_NAMES.filter((name) => name !== preferred)];
  let best = preferred;
  let bestScore = -1;
  for (const name of candidates) {
    const score = splitScore(sample, DELIMITERS[name]);
    if (score > bestScore) {
      best = name;
      bestScore = score;
    }
  }
  return best;
}
