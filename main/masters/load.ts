import type { FieldValues } from '../shared/fields';
import { readSetting } from '../store/settings';
import type { Db } from '../store/database';
import { type CustomerRow, customersByIds, hasMasterRows, masterCounts, type ProductRow, pricesFor, productsWhere } from '../store/masters';
import { formatDate } from '../import/dates';
import { type MasterIndex, nearCodes } from './checks';
import { matchKey } from './near';

/**
 * Loads the master rows an import or revalidation needs, in a handful of queries however many orders:
 * the products of its SKUs, the customers of its codes, their prices, and for the SKUs not found the
 * products near them (by JAN and by match key) for suggestions. Null when no master list is loaded:
 * then validation is exactly as without masters.
 */
export function loadMasterIndex(db: Db, codes: { skus: Iterable<string>; customers: Iterable<string> }, now: Date): MasterIndex | null {
  if (!hasMasterRows(db)) return null;
  const counts = masterCounts(db);
  const skus = [...new Set(codes.skus)];
  const customerIds = [...new Set(codes.customers)];
  let products: Map<string, ProductRow> | null = null;
  const suggestions = new Map<string, string[]>();
  if (counts.products > 0) {
    products = new Map(productsWhere(db, 'sku', skus).map((row) => [row.sku, row]));
    const unknown = skus.filter((sku) => !products?.has(sku));
    if (unknown.length) {
      const byJan = new Map(productsWhere(db, 'jan', unknown).map((row) => [row.jan as string, row]));
      const near = productsWhere(db, 'match_key', [...new Set(unknown.map(matchKey))]);
      for (const sku of unknown) suggestions.set(sku, nearCodes(sku, byJan.get(sku), near));
    }
  }
  let customers: Map<string, CustomerRow> | null = null;
  if (counts.customers > 0) customers = new Map(customersByIds(db, customerIds).map((row) => [row.customer_id, row]));
  const prices = new Map(pricesFor(db, customerIds, skus).map((row) => [`${row.customer_id}\t${row.sku}`, row.unit_price]));
  return {
    products,
    customers,
    prices,
    suggestions,
    tolerance: readSetting(db, 'masterPriceTolerance', null) ?? 0,
    today: formatDate(now),
  };
}

/** The SKUs and customer codes of some lines (an order's, an error file's). */
export function codesOf(lines: readonly { fields: FieldValues }[]): { skus: string[]; customers: string[] } {
  const skus: string[] = [];
  const customers: string[] = [];
  for (const { fields } of lines) {
    if (fields.sku) skus.push(fields.sku);
    if (fields.customer_id) customers.push(fields.customer_id);
  }
  return { skus, customers };
}
