import type { Migration } from './index';

export const m001_initial: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE batches (
  id               INTEGER PRIMARY KEY,
  source_file_name TEXT    NOT NULL,
  source_sha256    TEXT    NOT NULL CHECK (length(source_sha256) = 64),
  sheet_name       TEXT,
  encoding         TEXT,
  header_row       INTEGER,
  column_mapping   TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(column_mapping)),
  imported_by      TEXT    NOT NULL,
  imported_at      TEXT    NOT NULL,
  status           TEXT    NOT NULL DEFAULT 'staged'
                           CHECK (status IN ('staged', 'ready', 'syncing', 'synced', 'archived')),
  legal_hold       INTEGER NOT NULL DEFAULT 0 CHECK (legal_hold IN (0, 1))
) STRICT;

CREATE TABLE orders (
  id                INTEGER PRIMARY KEY,
  batch_id          INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  order_ref         TEXT    NOT NULL,
  client_reference  TEXT    NOT NULL UNIQUE,
  customer_id       TEXT,
  customer_name     TEXT,
  email             TEXT,
  card_token        TEXT,
  shipping_address  TEXT,
  delivery_date     TEXT,
  notes             TEXT,
  total_amount      INTEGER,
  validation_status TEXT    NOT NULL DEFAULT 'pending'
                            CHECK (validation_status IN ('pending', 'valid', 'invalid', 'excluded')),
  errors            TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(errors)),
  created_at        TEXT    NOT NULL,
  updated_at        TEXT    NOT NULL,
  UNIQUE (batch_id, order_ref)
) STRICT;
CREATE INDEX orders_by_ref ON orders(order_ref);
CREATE INDEX orders_by_batch_status ON orders(batch_id, validation_status);

CREATE TABLE order_lines (
  id          INTEGER PRIMARY KEY,
  order_id    INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  line_no     INTEGER NOT NULL,
  source_row  INTEGER NOT NULL,
  sku         TEXT,
  quantity    INTEGER,
  unit_price  INTEGER,
  raw_cells   TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(raw_cells)),
  UNIQUE (order_id, line_no)
) STRICT;

CREATE TABLE sync_state (
  order_id         INTEGER PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
  state            TEXT    NOT NULL DEFAULT 'queued'
                           CHECK (state IN ('queued', 'order_in_flight', 'order_created',
                                            'payment_in_flight', 'paid', 'notification_in_flight',
                                            'done', 'failed', 'needs_review')),
  idempotency_key  TEXT    NOT NULL UNIQUE,
  backend_order_id TEXT,
  payment_id       TEXT,
  transaction_id   TEXT,
  notification_id  TEXT,
  failed_step      TEXT    CHECK (failed_step IS NULL OR failed_step IN ('order', 'payment', 'notification')),
  error_class      TEXT,
  error_code       TEXT,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT,
  updated_at       TEXT    NOT NULL
) STRICT;
CREATE INDEX sync_state_by_state ON sync_state(state);

CREATE TABLE audit_log (
  seq              INTEGER PRIMARY KEY,
  at               TEXT    NOT NULL,
  actor            TEXT    NOT NULL,
  backend_identity TEXT,
  action           TEXT    NOT NULL,
  batch_id         INTEGER,
  order_ref        TEXT,
  details          TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
  prev_hash        TEXT    NOT NULL,
  hash             TEXT    NOT NULL UNIQUE
) STRICT;
CREATE INDEX audit_log_by_batch ON audit_log(batch_id, seq);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL CHECK (json_valid(value))
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
`,
};
