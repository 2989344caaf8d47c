import type { Migration } from './index';

export const m002_import: Migration = {
  version: 2,
  name: 'import',
  sql: `
ALTER TABLE batches ADD COLUMN source_kind TEXT;
ALTER TABLE batches ADD COLUMN headers TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(headers));
ALTER TABLE batches ADD COLUMN row_count INTEGER NOT NULL DEFAULT 0;

-- Each line's canonical field values as normalised text (card numbers masked), as a JSON array in the
-- order of FIELDS (main/import/fields.ts), null where empty: what validation reads. raw_cells keeps the
-- cells of unmapped columns ({"column index": text}); with fields and batches.headers they give the row back.
ALTER TABLE order_lines ADD COLUMN fields TEXT NOT NULL DEFAULT '[]';

CREATE TABLE mapping_templates (
  id               INTEGER PRIMARY KEY,
  name             TEXT    NOT NULL UNIQUE,
  header_signature TEXT    NOT NULL,
  mapping          TEXT    NOT NULL CHECK (json_valid(mapping)),
  created_by       TEXT    NOT NULL,
  created_at       TEXT    NOT NULL,
  updated_at       TEXT    NOT NULL
) STRICT;
CREATE INDEX mapping_templates_by_signature ON mapping_templates(header_signature, updated_at);

CREATE TABLE order_edits (
  id          INTEGER PRIMARY KEY,
  order_id    INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  source_row  INTEGER,
  field       TEXT    NOT NULL,
  old_hash    TEXT    NOT NULL,
  new_hash    TEXT    NOT NULL,
  edited_by   TEXT    NOT NULL,
  edited_at   TEXT    NOT NULL
) STRICT;
CREATE INDEX order_edits_by_order ON order_edits(order_id);
`,
};
