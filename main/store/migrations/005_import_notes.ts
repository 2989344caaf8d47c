import type { Migration } from './index';

/**
 * What the import noticed about how values were read, kept with the batch so it can be shown later:
 * {"continued_lines": N (lines that took the order number of the line above), "dates_without_year": N}.
 */
export const m005_import_notes: Migration = {
  version: 5,
  name: 'import_notes',
  sql: `ALTER TABLE batches ADD COLUMN import_notes TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(import_notes));`,
};
