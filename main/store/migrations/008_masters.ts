import type { Migration } from './index';

/**
 * Master lists staff import from their ERP (products, customers, per-customer prices), checked against
 * staged orders offline. Each list is replaced whole by an import; master_imports keeps when and what
 * file (its SHA-256 and counts) each list came from. Codes are stored normalised as order cells are (NFKC).
 */
export const m008_masters: Migration = {
  version: 8,
  name: 'masters',
  sql: `
CREATE TABLE master_products (
  sku         TEXT    NOT NULL PRIMARY KEY,
  jan         TEXT,
  name        TEXT    NOT NULL,
  unit_price  INTEGER,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  valid_from  TEXT,
  valid_to    TEXT,
  -- The code with its separators and leading zeros dropped (main/masters/near.ts): near codes for a suggestion.
  match_key   TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX master_products_by_jan ON master_products(jan) WHERE jan IS NOT NULL;
CREATE INDEX master_products_by_match_key ON master_products(match_key);

CREATE TABLE master_customers (
  customer_id TEXT    NOT NULL PRIMARY KEY,
  name        TEXT    NOT NULL,
  email       TEXT,
  address     TEXT,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT, WITHOUT ROWID;

CREATE TABLE master_prices (
  customer_id TEXT    NOT NULL,
  sku         TEXT    NOT NULL,
  unit_price  INTEGER NOT NULL,
  PRIMARY KEY (customer_id, sku)
) STRICT, WITHOUT ROWID;

CREATE TABLE master_imports (
  list        TEXT    NOT NULL PRIMARY KEY CHECK (list IN ('products', 'customers', 'prices')),
  file_name   TEXT    NOT NULL,
  file_sha256 TEXT    NOT NULL,
  rows        INTEGER NOT NULL,
  imported_by TEXT    NOT NULL,
  imported_at TEXT    NOT NULL
) STRICT;
`,
};
