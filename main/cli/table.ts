import stringWidth from 'string-width';

export interface Column {
  header: string;
  /** Numbers and amounts read best right-aligned. */
  align?: 'left' | 'right';
}

const GAP = '  ';

/** A cell's text on one line: tabs and line breaks (a file name can hold them) would break the columns. */
function oneLine(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}

function pad(text: string, width: number, align: Column['align']): string {
  const fill = ' '.repeat(Math.max(0, width - stringWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/**
 * Rows aligned under a header for a terminal: widths measured in columns as a terminal draws them (a Japanese
 * character takes two), a dashed rule under the header, no trailing spaces.
 */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const cells = rows.map((row) => columns.map((_, i) => oneLine(row[i] ?? '')));
  const widths = columns.map((column, i) => Math.max(stringWidth(column.header), ...cells.map((row) => stringWidth(row[i] ?? ''))));
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => pad(value, widths[i] ?? 0, columns[i]?.align))
      .join(GAP)
      .trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
