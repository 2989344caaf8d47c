/**
 * Spreadsheet formula injection (OWASP "CSV Injection"): a text cell starting with = + - @, tab, carriage
 * return or line feed can run as a formula when staff open the file. Such text is prefixed with a single
 * quote. A text that already starts with quotes before such a character gets one more, so re-import can
 * remove exactly the quote the export added (`restoreNeutralised`) and a text that really began with a
 * quote comes back as written.
 */
const NEEDS_QUOTE = /^'*[=+\-@\t\r\n]/;
const ADDED_QUOTE = /^'+[=+\-@\t\r\n]/;

/** A cell of an export: text stays text (codes keep their leading zeros), numbers are numeric cells. */
export type ExportCell = string | number | null;

export function neutralise(cell: ExportCell): ExportCell {
  if (typeof cell !== 'string') return cell;
  return NEEDS_QUOTE.test(cell) ? `'${cell}` : cell;
}

/** The inverse of `neutralise` for a text read back from an exported file. */
export function restoreNeutralised(text: string): string {
  return ADDED_QUOTE.test(text) ? text.slice(1) : text;
}
