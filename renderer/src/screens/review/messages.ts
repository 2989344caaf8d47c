import type { LineRow } from '@shared/contract';
import { issueText } from '@shared/issue-text';
import type { TFunction } from 'i18next';
import { COLUMNS, ERRORS_COL } from './columns';

/** A line's problems in words, for the grid's cells and the side panel. */

/** A column with nothing to say (shared: never changed). */
export const NO_MESSAGE: ColumnMessages = { invalid: false, messages: [] };

export interface ColumnMessages {
  /** Whether a validation issue sits in this column (the cell is marked invalid). */
  invalid: boolean;
  /** What the cell says in its tooltip and to screen readers; for the errors column, every problem of the line. */
  messages: readonly string[];
}

const IN_GRID = new Set(COLUMNS.map((c) => c.key));
const STATUS_COL = COLUMNS.findIndex((c) => c.key === 'status');

/** A line without problems: every column without messages (most lines; nothing is allocated for them). */
const NO_MESSAGES: readonly ColumnMessages[] = COLUMNS.map(() => NO_MESSAGE);

/**
 * Each column's messages for one line: issues go to their field's column, issues of fields not in the grid to
 * status. Columns with nothing to say share NO_MESSAGE.
 */
export function columnMessages(line: LineRow, t: TFunction): readonly ColumnMessages[] {
  if (line.issues.length === 0 && !line.syncError) return NO_MESSAGES;
  const result = [...NO_MESSAGES];
  const add = (col: number, text: string, invalid: boolean) => {
    const current = result[col] ?? NO_MESSAGE;
    result[col] = { invalid: current.invalid || invalid, messages: [...current.messages, text] };
  };
  const all: string[] = [];
  for (const issue of line.issues) {
    const text = issueText(t, issue);
    all.push(text);
    add(IN_GRID.has(issue.field) ? COLUMNS.findIndex((c) => c.key === issue.field) : STATUS_COL, text, true);
  }
  if (line.syncError) {
    const text = syncMessage(line.syncError, t);
    all.push(text);
    add(STATUS_COL, text, false);
  }
  result[ERRORS_COL] = { invalid: false, messages: all };
  return result;
}

/** Every problem of a line in words: its validation issues, then why sync failed. */
export function lineMessages(line: LineRow, t: TFunction): string[] {
  // The same wording as the command line and the error export: master values, suggestions, warnings marked.
  const messages = line.issues.map((issue) => issueText(t, issue));
  if (line.syncError) messages.push(syncMessage(line.syncError, t));
  return messages;
}

function syncMessage(error: NonNullable<LineRow['syncError']>, t: TFunction): string {
  return t(`syncErrors.${error.kind}`, { code: error.code, defaultValue: error.code });
}
