import iconv from 'iconv-lite';
import { AppError } from '../shared/errors';

/**
 * Characters that Unicode's JIS X 0208 mapping and Windows' CP932 (what Excel in Japan calls Shift_JIS)
 * map differently: text typed on a Mac or copied from the web holds the left-hand form, which CP932 has
 * no code for, while it has the same character under the right-hand code point. The yen sign and overline
 * would otherwise go to the ASCII bytes 0x5C and 0x7E, which read back as a backslash and a tilde.
 */
const CP932_EQUIVALENT: Readonly<Record<string, string>> = {
  '\u2212': '\uFF0D', // − MINUS SIGN -> － FULLWIDTH HYPHEN-MINUS
  '\u301C': '\uFF5E', // 〜 WAVE DASH -> ～ FULLWIDTH TILDE
  '\u2016': '\u2225', // ‖ DOUBLE VERTICAL LINE -> ∥ PARALLEL TO
  '\u2014': '\u2015', // — EM DASH -> ― HORIZONTAL BAR
  '\u00A2': '\uFFE0', // ¢ -> ￠
  '\u00A3': '\uFFE1', // £ -> ￡
  '\u00AC': '\uFFE2', // ¬ -> ￢
  '\u00A6': '\uFFE4', // ¦ -> ￤
  '\u00A5': '\uFFE5', // ¥ -> ￥
  '\u203E': '\uFFE3', // ‾ -> ￣
};
const MAPPABLE = new RegExp(`[${Object.keys(CP932_EQUIVALENT).join('')}]`, 'g');

/** The text with each character that has a CP932 equivalent replaced by it. */
export function toCp932Forms(text: string): string {
  return text.replace(MAPPABLE, (char) => CP932_EQUIVALENT[char] ?? char);
}

/** How the import reads Shift_JIS files (WHATWG Shift_JIS is CP932): a text must read back as written. */
const decoder = new TextDecoder('shift_jis');

function encodesExactly(text: string, bytes: Buffer): boolean {
  return decoder.decode(bytes) === text;
}

const MAX_LISTED_ROWS = 20;

/**
 * Encodes lines of text (already joined into file lines, CRLF included) as Shift_JIS (CP932). iconv-lite
 * writes `?` for a character it cannot encode; instead, the encoded file is decoded again and compared,
 * and when anything differs the export is refused with the source rows of the lines that differ (never
 * their values), so staff can fix those characters or choose UTF-8.
 */
export function encodeShiftJis(lines: readonly string[], sourceRowOf: (lineIndex: number) => number): Buffer {
  const mapped = lines.map(toCp932Forms);
  const text = mapped.join('');
  const bytes = iconv.encode(text, 'Shift_JIS');
  if (encodesExactly(text, bytes)) return bytes;
  const rows = new Set<number>();
  mapped.forEach((line, i) => {
    if (!encodesExactly(line, iconv.encode(line, 'Shift_JIS'))) rows.add(sourceRowOf(i));
  });
  const sorted = [...rows].sort((a, b) => a - b);
  const listed = sorted.slice(0, MAX_LISTED_ROWS).map((row) => row.toLocaleString('en-US'));
  throw new AppError('EXPORT_UNREPRESENTABLE', {
    rows: `${listed.join(', ')}${sorted.length > MAX_LISTED_ROWS ? ', …' : ''}`,
    total: sorted.length.toLocaleString('en-US'),
  });
}
