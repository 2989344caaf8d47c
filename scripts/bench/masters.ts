/**
 * Master lists: the time to import 200,000 products (read, diff, replace in one transaction), and what masters
 * cost an order import: a 10,000-order .xlsx imported three times (new order numbers each time) into a store
 * without masters and into one holding 200,000 products and 400 customers, medians compared. Goal (issue 20):
 * ratio <= 1.15. The sample sheets' prices vary per order, so the clean comparison loads products without a
 * standard price (every SKU and customer is looked up and checked, none is flagged); a last run with standard
 * prices on every product shows the cost when most lines are flagged PRICE_MISMATCH.
 *
 *   npm run bench:masters
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleCustomerRows, sampleProductRows } from '../fixtures/sample-masters';
import { sampleOrderRows, textBytes, workbookBytes } from '../fixtures/sample-sheets';
import { importFile } from '../../main/import/stage';
import { importMasterList } from '../../main/masters/replace';
import { openStore, type Store } from '../../main/store/database';
import { generateKey } from '../../main/store/key';

const PRODUCTS = 200_000;
const ORDERS = 10_000;
const RUNS = 3;
const RATIO_GOAL = 1.15;

const dirs: string[] = [];
function freshStore(): Store {
  const dir = mkdtempSync(join(tmpdir(), 'bench-masters-'));
  dirs.push(dir);
  return openStore({ path: join(dir, 'store.db'), key: generateKey() });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const ms = (value: number) => `${Math.round(value).toLocaleString('en-US')} ms`;
const n = (value: number) => value.toLocaleString('en-US');

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

const plainProducts = textBytes(sampleProductRows(PRODUCTS), 'utf-8');
const pricedProducts = textBytes(
  sampleProductRows(PRODUCTS, (i) => 500 + (i % 20) * 100),
  'utf-8',
);
const customers = textBytes(sampleCustomerRows(), 'utf-8');
const sheets = Array.from({ length: RUNS + 1 }, (_, run) =>
  workbookBytes(sampleOrderRows({ orders: ORDERS, maxLines: 1, prefix: `B${run}` }), 'xlsx'),
);

const importOrders = (store: Store, run: number) =>
  time(() => importFile(store.db, { fileName: `orders-${run}.xlsx`, bytes: sheets[run] as Buffer, actor: 'bench' }));
const importProducts = (store: Store, bytes: Buffer) =>
  time(() => importMasterList(store.db, { list: 'products', fileName: 'products.csv', bytes, actor: 'bench' }));

try {
  // 1. The master import itself, into empty stores (the priced list: every column read).
  const masterTimes: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const store = freshStore();
    const result = importProducts(store, pricedProducts);
    if (result.value.rows !== PRODUCTS) throw new Error(`imported ${result.value.rows} products`);
    masterTimes.push(result.ms);
    store.close();
  }

  // 2. Order imports without and with masters loaded.
  const plain = freshStore();
  const checked = freshStore();
  importProducts(checked, plainProducts);
  importMasterList(checked.db, { list: 'customers', fileName: 'customers.csv', bytes: customers, actor: 'bench' });
  const without: number[] = [];
  const withMasters: number[] = [];
  let flaggedClean = 0;
  for (let run = 0; run < RUNS; run += 1) {
    without.push(importOrders(plain, run).ms);
    const result = importOrders(checked, run);
    withMasters.push(result.ms);
    flaggedClean += result.value.orders.invalid;
  }

  // 3. A replace of the whole list (diff against the stored one, staged orders revalidated), then a sheet most of whose lines are flagged.
  const replaced = importProducts(checked, pricedProducts);
  const flagged = importOrders(checked, RUNS);
  plain.close();
  checked.close();

  const ratio = median(withMasters) / median(without);
  process.stdout.write(
    `${[
      `master import, ${n(PRODUCTS)} products (.csv, ${(pricedProducts.length / 1048576).toFixed(1)} MB): ${ms(median(masterTimes))} (median; runs ${masterTimes.map(ms).join(', ')})`,
      `order import, ${n(ORDERS)}-order .xlsx, no masters: ${ms(median(without))} (runs ${without.map(ms).join(', ')})`,
      `order import, same sheets, ${n(PRODUCTS)} products + 400 customers loaded: ${ms(median(withMasters))} (runs ${withMasters.map(ms).join(', ')}; ${n(flaggedClean)} orders flagged)`,
      `ratio with/without masters: ${ratio.toFixed(3)} (goal <= ${RATIO_GOAL}) ${ratio <= RATIO_GOAL ? 'OK' : 'OVER GOAL'}`,
      `master replace, ${n(PRODUCTS)} products now with standard prices, revalidating ${n(replaced.value.revalidation.orders)} staged orders: ${ms(replaced.ms)}`,
      `order import with standard prices (${n(flagged.value.orders.invalid)} of ${n(ORDERS)} orders flagged PRICE_MISMATCH): ${ms(flagged.ms)} (${(flagged.ms / median(without)).toFixed(2)} x no masters)`,
    ].join('\n')}\n`,
  );
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
