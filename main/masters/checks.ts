import type { Field, FieldValues } from '../shared/fields';
import type { LineInput, ValidatedLine, ValidationIssue } from '../shared/validation';
import type { CustomerRow, ProductRow } from '../store/masters';
import { matchKey, rankSuggestions } from './near';

/**
 * The master rows one import or revalidation needs, loaded once (main/masters/load.ts) and looked up in
 * memory: a list that is not loaded (null) is not checked.
 */
export interface MasterIndex {
  products: ReadonlyMap<string, ProductRow> | null;
  customers: ReadonlyMap<string, CustomerRow> | null;
  /** customer_id + tab + sku -> the customer's price. */
  prices: ReadonlyMap<string, number>;
  /** Near SKUs of the order codes that are not in the product list. */
  suggestions: ReadonlyMap<string, string[]>;
  /** Yen a price may differ from the master's before PRICE_MISMATCH (0: exact). */
  tolerance: number;
  /** The import's (or revalidation's) day, yyyy-mm-dd: validity is checked on it when an order has no delivery date. */
  today: string;
}

/** Names are compared without width, spaces or case: 株式会社 ＡＢＣ and 株式会社ABC are one name. */
function sameName(a: string, b: string): boolean {
  const plain = (text: string) => text.normalize('NFKC').replace(/\s/g, '').toLowerCase();
  return plain(a) === plain(b);
}

function validOn(product: ProductRow, day: string): boolean {
  return (product.valid_from === null || product.valid_from <= day) && (product.valid_to === null || day <= product.valid_to);
}

/** The period a product is sold in, as its master says (for the message). */
function period(product: ProductRow): string {
  return `${product.valid_from ?? ''}〜${product.valid_to ?? ''}`;
}

export function suggestionsFor(index: MasterIndex, sku: string): string[] {
  return index.suggestions.get(sku) ?? [];
}

/** Exposed for the loader: the suggestions for one unknown code from the rows found near it. */
export function nearCodes(code: string, byJan: ProductRow | undefined, near: readonly ProductRow[]): string[] {
  const key = matchKey(code);
  return rankSuggestions(
    code,
    byJan?.sku,
    near.filter((row) => row.match_key === key).map((row) => row.sku),
  );
}

/**
 * The master checks of one order, appended to `issues`: each line's SKU (known, sold on the day, at the
 * customer's or standard price) and the order's customer (known, active, the same name as a warning).
 */
export function checkMasters(
  index: MasterIndex,
  lines: readonly LineInput[],
  validated: readonly ValidatedLine[],
  order: FieldValues,
  deliveryDate: string | null,
  rowOf: (field: Field) => number,
  issues: ValidationIssue[],
): void {
  const day = deliveryDate ?? index.today;
  const customerId = order.customer_id;
  lines.forEach((line, i) => {
    const sku = line.fields.sku;
    if (!sku) return;
    const product = index.products?.get(sku);
    if (index.products && !product) {
      issues.push({ row: line.row, field: 'sku', code: 'UNKNOWN_SKU', value: sku, suggestions: suggestionsFor(index, sku) });
      return;
    }
    if (product && (product.active === 0 || !validOn(product, day)))
      issues.push({
        row: line.row,
        field: 'sku',
        code: 'INACTIVE_SKU',
        value: sku,
        master: product.active === 0 ? 'inactive' : period(product),
      });
    const unitPrice = validated[i]?.unitPrice ?? null;
    const expected = (customerId ? index.prices.get(`${customerId}\t${sku}`) : undefined) ?? product?.unit_price ?? null;
    if (unitPrice !== null && expected !== null && Math.abs(unitPrice - expected) > index.tolerance)
      issues.push({
        row: line.row,
        field: 'unit_price',
        code: 'PRICE_MISMATCH',
        value: line.fields.unit_price ?? String(unitPrice),
        master: String(expected),
      });
  });
  if (!customerId || !index.customers) return;
  const customer = index.customers.get(customerId);
  const row = rowOf('customer_id');
  if (!customer) {
    issues.push({ row, field: 'customer_id', code: 'UNKNOWN_CUSTOMER', value: customerId });
    return;
  }
  if (customer.active === 0) issues.push({ row, field: 'customer_id', code: 'INACTIVE_CUSTOMER', value: customerId, master: 'inactive' });
  if (order.customer_name && customer.name && !sameName(order.customer_name, customer.name))
    issues.push({
      row: rowOf('customer_name'),
      field: 'customer_name',
      code: 'CUSTOMER_NAME_MISMATCH',
      value: order.customer_name,
      master: customer.name,
      severity: 'warning',
    });
}
