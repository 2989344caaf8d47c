/**
 * The one-command demo: the whole main job against the built-in backend simulator, in a throw-away data
 * folder (a real store is never touched). It generates a messy Japanese order sheet (title rows,
 * full-width digits, yen signs, multi-line orders, invalid rows, a few master mistakes), imports a generated
 * product and customer master, imports the sheet into the encrypted store, shows the validation summary (with
 * the master checks), syncs the valid orders with a live progress bar, exports the errors,
 * verifies the audit chain, and prints where everything went. Exit status is non-zero if a step fails.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleCustomerRows, sampleProductRows } from './fixtures/sample-masters';
import { type SampleRow, sampleOrderRows, textBytes, workbookBytes } from './fixtures/sample-sheets';
import { runCli } from '../main/cli/program';
import { generateKey } from '../main/store/key';

const ORDERS = Number(process.env.DEMO_ORDERS ?? 300);

/**
 * A few master mistakes, as clients make them: a SKU whose leading zero was lost (SKU-102 for SKU-0102: the
 * master check suggests it), a customer code the customer master does not have, and a customer name written
 * differently from the master's (a warning: the order still syncs).
 */
function withMasterMistakes(rows: SampleRow[]): SampleRow[] {
  const sku = rows.find((row) => row[0] === 'DEMO-000002');
  if (sku) sku[4] = 'SKU-102';
  // Order fields on every line of the order, so its lines still agree.
  for (const row of rows) {
    if (row[0] === 'DEMO-000003') row[1] = 'C09999';
    if (row[0] === 'DEMO-000004') row[2] = '(株)ふじ電機';
  }
  return rows;
}

async function main(): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), 'order-stager-demo-'));
  const dataDir = join(root, 'data');
  const inbox = join(root, 'inbox');
  const out = join(root, 'out');
  mkdirSync(inbox, { recursive: true });
  mkdirSync(out, { recursive: true });
  const env = { ...process.env, ORDER_STAGER_KEY: generateKey() };
  const io = { stdout: (t: string) => process.stdout.write(t), stderr: (t: string) => process.stderr.write(t), env };
  const step = async (title: string, args: string[], okCodes = [0]) => {
    process.stdout.write(`\n== ${title}\n$ npm run cli -- ${args.join(' ')}\n`);
    const code = await runCli(['--data-dir', dataDir, ...args], io);
    if (!okCodes.includes(code)) throw new Error(`${title} failed (exit ${code})`);
  };

  const sheet = join(inbox, '2026年11月度_発注一覧.xlsx');
  writeFileSync(
    sheet,
    workbookBytes(
      withMasterMistakes(sampleOrderRows({ orders: ORDERS, maxLines: 3, withErrors: true, messy: true, prefix: 'DEMO' })),
      'xlsx',
    ),
  );
  // The ERP's master lists: every product of the sample sheets (SKU-0100..SKU-0999) and its 400 customers.
  const products = join(inbox, '商品マスタ.csv');
  const customers = join(inbox, '得意先マスタ.csv');
  writeFileSync(products, textBytes(sampleProductRows(900), 'utf-8'));
  writeFileSync(customers, textBytes(sampleCustomerRows(), 'utf-8'));
  process.stdout.write(`Order Stager demo: ${ORDERS} orders from a generated client order sheet\n  ${sheet}\n`);

  await step('Encrypted store', ['store', 'info']);
  await step('Import the product master', ['master', 'import', 'products', products]);
  await step('Import the customer master', ['master', 'import', 'customers', customers]);
  await step('Import and validate', ['import', sheet]);
  await step('Batches', ['batches']);
  // The built-in simulator stands in for the backend: notifications are limited to 10/s, as in production.
  await step('Sync valid orders (order -> payment -> notification)', ['sync'], [0, 1]);
  const errors = join(out, 'errors-batch-1.xlsx');
  const success = join(out, 'success-batch-1.csv');
  await step('Export the errors for the client to fix (then: npm run cli -- reimport 1 FILE)', [
    'export',
    '1',
    '--errors',
    '--format',
    'xlsx',
    '--out',
    errors,
  ]);
  await step('Export the success report (backend order ids and transaction ids)', ['export', '1', '--success', '--out', success]);
  await step('Verify the audit chain', ['audit', 'verify']);

  process.stdout.write(
    `\nEverything is in ${root}\n  store (encrypted): ${join(dataDir, 'order-stager.db')}\n  input sheet:       ${sheet}\n  error file:        ${errors}\n  success report:    ${success}\n`,
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : 'demo failed'}\n`);
    process.exitCode = 1;
  },
);
