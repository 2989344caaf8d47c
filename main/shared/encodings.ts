/** Text encodings an import file may be read in (detected, or chosen by staff). */
export const TEXT_ENCODINGS = ['utf-8', 'shift_jis', 'euc-jp', 'utf-16le', 'utf-16be'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

/** What staff may ask for: automatic detection or one encoding. */
export const ENCODING_OPTIONS = ['auto', ...TEXT_ENCODINGS] as const;
export type EncodingOption = (typeof ENCODING_OPTIONS)[number];

/** Column separators a text file may use; the name is what the summary shows. */
export const DELIMITER_NAMES = ['comma', 'tab', 'semicolon'] as const;
export type DelimiterName = (typeof DELIMITER_NAMES)[number];
export const DELIMITERS: Readonly<Record<DelimiterName, string>> = { comma: ',', tab: '\t', semicolon: ';' };
