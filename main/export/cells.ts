/**
 * Spreadsheet formula injection (OWASP "CSV Injection"): a text cell starting with = + - @, tab, carriage
 * return or line feed can run as a formula when staff open the file. Such text is prefixed with a single
 * quote; real numbers are left as numbers.
 */
const DANGEROUS_START = /^[=+\-@\t\r\n]/;

export type ExportCell = string | number | null;

const NUMBER = /^-?\d+(\.\d+)?$/;

export function neutralise(cell: ExportCell): ExportCell {
  if (typeof cell !== 'string') return cell;
  // A real number ("-1", "1500") stays a number, so it is a numeric cell in xlsx and unquoted in CSV.
  if (NUMBER.test(cell)) return Number(cell);
  return DANGEROUS_START.test(cell) ? `'${cell}` : cell;
}
