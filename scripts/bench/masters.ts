/**
 * Master lists: the time to import 200,000 products (read, diff, replace in one transaction), and what masters
 * cost an order import: a 10,000-order .xlsx imported into a store without masters and into one holding the
 * 200,000 products and 400 customers (median of 3 runs each, a fresh store per run). Goal (issue 20): ratio <= 1.15.
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

function freshStore(): { store: Store; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-masters-'));
  const store = openStore({ path: join(dir, 'store.db'), key: generateKey() });
  return {
    store,
    done: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const ms = (value: number) => `${Math.round(value).toLocaleString('en-US')} ms`;

// Standard prices on every product: every order line is price-checked (the sample's prices vary, so many mismatch).
const products = textBytes(
  sampleProductRows(PRODUCTS, (i) => 500 + (i % 20) * 100),
  'utf-8',
);
const customers = textBytes(sampleCustomerRows(), 'utf-8');
const orders = workbookBytes(sampleOrderRows({ orders: ORDERS, maxLines: 1 }), 'xlsx');

function loadMasters(store: Store): number {
  const t0 = performance.now();
  const result = importMasterList(store.db, { list: 'products', fileName: 'products.csv', bytes: products, actor: 'bench' });
  const elapsed = performance.now() - t0;
  if (result.rows !== PRODUCTS) throw new Error(`imported ${result.rows} products`);
  importMasterList(store.db, { list: 'customers', fileName: 'customers.csv', bytes: customers, actor: 'bench' });
  return elapsed;
}

function importOrders(store: Store): { ms: number; invalid: number } {
  const t0 = performance.now();
  const result = importFile(store.db, { fileName: 'orders.xlsx', bytes: orders, actor: 'bench' });
  return { ms: performance.now() - t0, invalid: result.orders.invalid };
}

const masterTimes: number[] = [];
const replaceTimes: number[] = [];
const without: number[] = [];
const withMasters: number[] = [];
let flagged = 0;
for (let run = 0; run < RUNS; run += 1) {
  const plain = freshStore();
  without.push(importOrders(plain.store).ms);
  plain.done();

  const loaded = freshStore();
  masterTimes.push(loadMasters(loaded.store));
  const t0 = performance.now();
  // The same list again: a replace that reads the stored list to count what changed.
  importMasterList(loaded.store.db, { list: 'products', fileName: 'products.csv', bytes: products, actor: 'bench' });
  replaceTimes.push(performance.now() - t0);
  const checked = importOrders(loaded.store);
  withMasters.push(checked.ms);
  flagged = checked.invalid;
  loaded.done();
}

const ratio = median(withMasters) / median(without);
process.stdout.write(
  [
    `master import, ${PRODUCTS.toLocaleString('en-US')} products (.csv, ${(products.length / 1048576).toFixed(1)} MB): ${ms(median(masterTimes))} (median of ${RUNS}; runs ${masterTimes.map(ms).join(', ')})`,
    `master replace with the same ${PRODUCTS.toLocaleString('en-US')} products (diff against the stored list): ${ms(median(replaceTimes))}`,
    `order import, ${ORDERS.toLocaleString('en-US')}-order .xlsx without masters: ${ms(median(without))} (runs ${without.map(ms).join(', ')})`,
    `order import, same sheet with ${PRODUCTS.toLocaleString('en-US')} products + 400 customers loaded: ${ms(median(withMasters))} (runs ${withMasters.map(ms).join(', ')}; ${flagged.toLocaleString('en-US')} orders flagged)`,
    `ratio with/without masters: ${ratio.toFixed(3)} (goal <= ${RATIO_GOAL}) ${ratio <= RATIO_GOAL ? 'OK' : 'OVER GOAL'}`,
  ].join('\n') + '\n',
);
