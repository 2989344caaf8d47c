import type { Db } from './database';

/** The master lists (products, customers, per-customer prices) as tables: read, replaced whole, searched. */

export const MASTER_LISTS = ['products', 'customers', 'prices'] as const;
export type MasterList = (typeof MASTER_LISTS)[number];

export interface ProductRow {
  sku: string;
  jan: string | null;
  name: string;
  unit_price: number | null;
  active: 0 | 1;
  valid_from: string | null;
  valid_to: string | null;
  /** The code as near codes are matched (the domain computes it). */
  match_key: string;
}

export interface CustomerRow {
  customer_id: string;
  name: string;
  email: string | null;
  address: string | null;
  active: 0 | 1;
}

export interface PriceRow {
  customer_id: string;
  sku: string;
  unit_price: number;
}

export interface MasterRows {
  products: ProductRow;
  customers: CustomerRow;
  prices: PriceRow;
}

/** Each list's table and columns, its key columns first. */
const TABLES: { [L in MasterList]: { table: string; key: readonly (keyof MasterRows[L])[]; columns: readonly (keyof MasterRows[L])[] } } = {
  products: {
    table: 'master_products',
    key: ['sku'],
    columns: ['sku', 'jan', 'name', 'unit_price', 'active', 'valid_from', 'valid_to', 'match_key'],
  },
  customers: { table: 'master_customers', key: ['customer_id'], columns: ['customer_id', 'name', 'email', 'address', 'active'] },
  prices: { table: 'master_prices', key: ['customer_id', 'sku'], columns: ['customer_id', 'sku', 'unit_price'] },
};

/** Every row of a list as arrays of its column values (in the list's column order): a diff reads 200,000 of them. */
export function readMasterValues(db: Db, list: MasterList): (string | number | null)[][] {
  const { table, columns } = TABLES[list];
  return db
    .prepare(`SELECT ${columns.join(', ')} FROM ${table}`)
    .raw(true)
    .all() as (string | number | null)[][];
}

/** A list's columns, its key columns first. */
export function masterColumns(list: MasterList): readonly string[] {
  return TABLES[list].columns as readonly string[];
}

/** How many of a list's first columns make its key. */
export function masterKeyWidth(list: MasterList): number {
  return TABLES[list].key.length;
}

const CHUNK = 200;

/**
 * The products' look-up indexes, exactly as migration 008 creates them. A replace drops them and builds them
 * again after the load: one sort per index instead of 200,000 scattered index inserts (about 40% of a load).
 */
const PRODUCT_INDEXES = [
  ['master_products_by_jan', 'CREATE INDEX master_products_by_jan ON master_products(jan) WHERE jan IS NOT NULL'],
  ['master_products_by_match_key', 'CREATE INDEX master_products_by_match_key ON master_products(match_key)'],
] as const;

/** Replaces a list with `rows` (inside the caller's transaction): rows go 200 to an INSERT. */
export function replaceMasterRows<L extends MasterList>(db: Db, list: L, rows: readonly MasterRows[L][]): void {
  const { table, columns } = TABLES[list];
  const rebuild = list === 'products' && rows.length > 10_000;
  if (rebuild) for (const [name] of PRODUCT_INDEXES) db.prepare(`DROP INDEX ${name}`).run();
  db.prepare(`DELETE FROM ${table}`).run();
  insertRows(db, table, columns as readonly string[], rows as unknown as readonly Record<string, string | number | null>[]);
  if (rebuild) for (const [, sql] of PRODUCT_INDEXES) db.prepare(sql).run();
}

function insertRows(db: Db, table: string, columns: readonly string[], rows: readonly Record<string, string | number | null>[]): void {
  const one = `(${columns.map(() => '?').join(', ')})`;
  const insert = (count: number) =>
    db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: count }, () => one).join(', ')}`);
  const full = insert(CHUNK);
  const values: (string | number | null)[] = [];
  let pending = 0;
  for (const row of rows) {
    for (const column of columns) values.push(row[column] ?? null);
    pending += 1;
    if (pending === CHUNK) {
      full.run(values);
      values.length = 0;
      pending = 0;
    }
  }
  if (pending > 0) insert(pending).run(values);
}

export interface MasterImportRecord {
  list: MasterList;
  file_name: string;
  file_sha256: string;
  rows: number;
  imported_by: string;
  imported_at: string;
}

export function recordMasterImport(db: Db, record: MasterImportRecord): void {
  db.prepare(
    `INSERT INTO master_imports (list, file_name, file_sha256, rows, imported_by, imported_at)
     VALUES (@list, @file_name, @file_sha256, @rows, @imported_by, @imported_at)
     ON CONFLICT (list) DO UPDATE SET file_name = excluded.file_name, file_sha256 = excluded.file_sha256, rows = excluded.rows,
       imported_by = excluded.imported_by, imported_at = excluded.imported_at`,
  ).run(record);
}

export function clearMasterRows(db: Db, list: MasterList): number {
  const removed = db.prepare(`DELETE FROM ${TABLES[list].table}`).run().changes;
  db.prepare('DELETE FROM master_imports WHERE list = ?').run(list);
  return removed;
}

export interface MasterListInfo {
  list: MasterList;
  count: number;
  lastImport: Omit<MasterImportRecord, 'list'> | null;
}

/** Each list's row count and last import. */
export function masterListInfo(db: Db): MasterListInfo[] {
  const imports = db.prepare('SELECT * FROM master_imports').all() as MasterImportRecord[];
  const counts = masterCounts(db);
  return MASTER_LISTS.map((list) => {
    const count = counts[list];
    const found = imports.find((record) => record.list === list);
    if (!found) return { list, count, lastImport: null };
    const { list: _list, ...lastImport } = found;
    return { list, count, lastImport };
  });
}

/** Whether any list holds a row: without masters, validation runs no master check at all. */
export function hasMasterRows(db: Db): boolean {
  return (
    db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM master_products) OR EXISTS (SELECT 1 FROM master_customers) OR EXISTS (SELECT 1 FROM master_prices)`,
      )
      .pluck()
      .get() === 1
  );
}

/** Rows of products or customers whose code or name contains `search` (all when empty), by code, at most `limit`. */
export function searchMasterRows<L extends 'products' | 'customers'>(db: Db, list: L, search: string, limit: number): MasterRows[L][] {
  const { table, columns, key } = TABLES[list];
  const code = String(key[0]);
  const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const extra = list === 'products' ? ' OR jan LIKE @pattern' : '';
  return db
    .prepare(
      `SELECT ${columns.join(', ')} FROM ${table}
       WHERE @search = '' OR ${code} LIKE @pattern ESCAPE '\\' OR name LIKE @pattern ESCAPE '\\'${extra.replace('@pattern', "@pattern ESCAPE '\\'")}
       ORDER BY ${code} LIMIT @limit`,
    )
    .all({ search, pattern, limit }) as MasterRows[L][];
}

const PRODUCT_COLUMNS = TABLES.products.columns.join(', ');

/** Products whose SKU, JAN or match key is one of these (one query each, however many codes). */
export function productsWhere(db: Db, column: 'sku' | 'jan' | 'match_key', values: readonly string[]): ProductRow[] {
  if (values.length === 0) return [];
  return db
    .prepare(`SELECT ${PRODUCT_COLUMNS} FROM master_products WHERE ${column} IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(values)) as ProductRow[];
}

export function customersByIds(db: Db, ids: readonly string[]): CustomerRow[] {
  if (ids.length === 0) return [];
  return db
    .prepare(`SELECT ${TABLES.customers.columns.join(', ')} FROM master_customers WHERE customer_id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids)) as CustomerRow[];
}

/** Per-customer prices of these customers for these SKUs. */
export function pricesFor(db: Db, customerIds: readonly string[], skus: readonly string[]): PriceRow[] {
  if (customerIds.length === 0 || skus.length === 0) return [];
  return db
    .prepare(
      `SELECT customer_id, sku, unit_price FROM master_prices
       WHERE customer_id IN (SELECT value FROM json_each(?)) AND sku IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(customerIds), JSON.stringify(skus)) as PriceRow[];
}

/** How many rows each list holds. */
export function masterCounts(db: Db): Record<MasterList, number> {
  const count = (list: MasterList) => db.prepare(`SELECT count(*) FROM ${TABLES[list].table}`).pluck().get() as number;
  return { products: count('products'), customers: count('customers'), prices: count('prices') };
}

/** The distinct SKUs and customer codes of a batch's orders that are not excluded (what its revalidation looks up). */
export function batchCodes(db: Db, batchId: number): { skus: string[]; customers: string[] } {
  const skus = db
    .prepare(
      `SELECT DISTINCT l.sku FROM order_lines l JOIN orders o ON o.id = l.order_id
       WHERE o.batch_id = ? AND o.validation_status <> 'excluded' AND l.sku IS NOT NULL`,
    )
    .pluck()
    .all(batchId) as string[];
  const customers = db
    .prepare(`SELECT DISTINCT customer_id FROM orders WHERE batch_id = ? AND validation_status <> 'excluded' AND customer_id IS NOT NULL`)
    .pluck()
    .all(batchId) as string[];
  return { skus, customers };
}

/**
 * Orders a master change can still affect, by batch: not excluded, not purged, not held by the backend,
 * and not under way in a sync (no sync state yet, or only queued). With `codes`, only those naming one of
 * these customers or holding a line with one of these SKUs (or, when SKUs changed, an unknown one).
 */
export function unsyncedOrders(
  db: Db,
  codes?: { skus: readonly string[]; customers: readonly string[] },
): { batch_id: number; order_ref: string; validation_status: string }[] {
  // An order with an unknown SKU is taken whenever SKUs change: a new product may be a suggestion for it.
  const only = codes
    ? `AND (o.customer_id IN (SELECT value FROM json_each(@customers))
         OR o.id IN (SELECT order_id FROM order_lines WHERE sku IN (SELECT value FROM json_each(@skus)))
         ${codes.skus.length ? `OR o.errors LIKE '%"UNKNOWN_SKU"%'` : ''})`
    : '';
  return db
    .prepare(
      `SELECT o.batch_id, o.order_ref, o.validation_status FROM orders o LEFT JOIN sync_state s ON s.order_id = o.id
       WHERE o.validation_status <> 'excluded' AND o.purged_at IS NULL AND (s.order_id IS NULL OR (s.state = 'queued' AND s.backend_order_id IS NULL))
       ${only}
       ORDER BY o.batch_id, o.id`,
    )
    .all(codes ? { skus: JSON.stringify(codes.skus), customers: JSON.stringify(codes.customers) } : {}) as {
    batch_id: number;
    order_ref: string;
    validation_status: string;
  }[];
}
