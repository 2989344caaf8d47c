import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../tests/helpers/cli';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { createAppContext } from '../app/context';
import { sampleCustomerRows, sampleProductRows } from '../../scripts/fixtures/sample-masters';
import { sampleOrderRows, textBytes, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { dispatch } from '../handlers/dispatch';
import { createHandlers } from '../handlers';
import { channels, type Input, type Method } from '../shared/contract';
import { storePath } from '../config/paths';
import { openStore } from '../store/database';
import { generateKey, type StoreKey } from '../store/key';

const tempDir = tempDirsPerTest();

/**
 * What may differ between the two faces of one operation, and why:
 * - seq, at, prev_hash, hash: when the entry was written (and so its place in the chain);
 * - actor: the app records its OS user as the context gives it ('sato' here), the CLI the OS user it runs as;
 * - details.cutoff of retention.purged: now minus the retention, so a few milliseconds apart.
 * Everything else (action, batch, order, every detail key and value) must be the same.
 */
const VOLATILE_DETAILS = new Set(['cutoff']);

interface Entry {
  action: string;
  batch_id: number | null;
  order_ref: string | null;
  details: Record<string, unknown>;
}

function entries(path: string, key: StoreKey): Entry[] {
  const store = openStore({ path, key });
  try {
    const rows = store.db.prepare('SELECT action, batch_id, order_ref, details FROM audit_log ORDER BY seq').all() as {
      action: string;
      batch_id: number | null;
      order_ref: string | null;
      details: string;
    }[];
    return rows.map((row) => {
      const details = JSON.parse(row.details) as Record<string, unknown>;
      for (const name of Object.keys(details)) if (VOLATILE_DETAILS.has(name)) details[name] = typeof details[name];
      return { ...row, details };
    });
  } finally {
    store.close();
  }
}

/** The desktop app's face: the real handlers behind the real dispatcher, with scripted file dialogs. */
function appFace() {
  const dataDir = tempDir();
  const key = generateKey();
  const path = join(dataDir, 'order-stager.db');
  const store = openStore({ path, key });
  const answers: (string | null)[] = [];
  const next = async () => answers.shift() ?? null;
  const ctx = createAppContext({
    version: '1.0.0',
    dataDir,
    store,
    actor: 'sato',
    key,
    dialogs: { openSpreadsheet: next, saveFile: next, openBackup: next },
  });
  const handlers = createHandlers(ctx);
  return {
    /** The next file dialogs answer these paths. */
    answer: (...paths: string[]) => answers.push(...paths),
    async call<M extends Method>(method: M, input?: Input<M>): Promise<unknown> {
      const result = await dispatch(handlers, channels[method].channel, input);
      if (!result.ok) throw new Error(`${method}: ${result.error.code}`);
      return result.value;
    },
    audit: () => {
      store.close();
      return entries(path, key);
    },
  };
}

/** The command line's face: runCli on its own store. */
function cliFace() {
  const dataDir = tempDir();
  const key = generateKey();
  const env = { ORDER_STAGER_KEY: key, ORDER_STAGER_CLIENT_SECRET: 's3cret' };
  return {
    async run(...args: string[]): Promise<string> {
      const result = await cli(['--data-dir', dataDir, ...args], env);
      if (result.code !== 0) throw new Error(`${args.join(' ')}: ${result.stderr}`);
      return result.stdout;
    },
    audit: () => entries(storePath(dataDir), key),
  };
}

describe('one operation, two faces', () => {
  it('writes the same audit entries from the desktop app and the command line', async () => {
    const files = tempDir();
    const sheet = join(files, '発注.xlsx');
    writeFileSync(sheet, workbookBytes(sampleOrderRows({ orders: 20, withErrors: true }), 'xlsx'));
    const app = appFace();
    const line = cliFace();

    // import (with a saved template)
    app.answer(sheet);
    const picked = (await app.call('pickImportFile')) as { file: { fileId: string } };
    await app.call('runImport', { fileId: picked.file.fileId, saveTemplateAs: '標準' });
    await line.run('import', sheet, '--save-template', '標準');
    // edit: the order without an email gets one
    await app.call('editField', { batchId: 1, orderRef: 'PO-000007', field: 'email', value: 'fixed@example.co.jp' });
    await line.run('edit', '1', 'PO-000007', '--field', 'email', '--value', 'fixed@example.co.jp');
    // ready, and back
    for (const ready of [true, false]) {
      await app.call('markReady', { batchId: 1, ready });
      await line.run('ready', '1', ...(ready ? [] : ['--unset']));
    }
    // export the errors, then re-import that file into its batch
    const appErrors = join(files, 'app-errors.csv');
    const cliErrors = join(files, 'cli-errors.csv');
    app.answer(appErrors);
    await app.call('exportBatch', { batchId: 1, kind: 'errors', format: 'csv', encoding: 'shift_jis' });
    await line.run('export', '1', '--errors', '--format', 'csv', '--encoding', 'shift_jis', '--out', cliErrors);
    app.answer(appErrors);
    await app.call('reimportBatch', { batchId: 1 });
    await line.run('reimport', '1', cliErrors);
    // backend: a remote one with its secret, then back to the simulator
    await app.call('saveBackend', {
      mode: 'remote',
      url: 'https://orders.example.co.jp/v1',
      clientId: 'order-stager',
      clientSecret: 's3cret',
    });
    await line.run('backend', 'set', '--url', 'https://orders.example.co.jp/v1', '--client-id', 'order-stager');
    await app.call('saveBackend', { mode: 'simulator' });
    await line.run('backend', 'clear');
    // schedule, and off again
    await app.call('saveSchedule', { cron: '0 2 * * 1-5' });
    await line.run('schedule', 'set', '0 2 * * 1-5');
    await app.call('saveSchedule', { cron: null });
    await line.run('schedule', 'set', 'off');
    // retention, then a purge with it
    await app.call('saveRetention', { days: 30 });
    await line.run('retention', 'set', '30');
    // the update feed, and off again
    await app.call('saveUpdateUrl', { url: 'https://updates.example.co.jp/order-stager' });
    await line.run('updates', 'set', '--url', 'https://updates.example.co.jp/order-stager');
    await app.call('saveUpdateUrl', { url: null });
    await line.run('updates', 'off');
    await app.call('purgeNow');
    await line.run('purge');
    // backup
    app.answer(join(files, 'app.backup.db'));
    await app.call('backupStore');
    await line.run('store', 'backup', '--out', join(files, 'cli.backup.db'));

    const fromApp = app.audit();
    const fromCli = line.audit();
    expect(fromApp.map((e) => e.action)).toEqual([
      'mapping.saved',
      'batch.imported',
      'order.edited',
      'batch.marked_ready',
      'batch.unmarked_ready',
      'batch.exported',
      'access',
      'batch.reimported',
      'settings.changed',
      'settings.changed',
      'settings.changed',
      'settings.changed',
      'settings.changed',
      'settings.changed',
      'settings.changed',
      'retention.purged',
      'store.backed_up',
    ]);
    expect(fromCli).toEqual(fromApp);
    // The settings entries say what changed, the same way from both faces (never the secret).
    expect(fromCli.filter((e) => e.action === 'settings.changed').map((e) => e.details)).toEqual([
      { setting: 'backend', value: 'remote, new secret https://orders.example.co.jp/v1' },
      { setting: 'backend', value: 'simulator' },
      { setting: 'syncSchedule', value: '0 2 * * 1-5' },
      { setting: 'syncSchedule', value: null },
      { setting: 'retentionDays', value: 30 },
      { setting: 'updateUrl', value: 'https://updates.example.co.jp/order-stager' },
      { setting: 'updateUrl', value: null },
    ]);
  });

  it('imports and clears master lists with the same audit entries from both faces', async () => {
    const files = tempDir();
    const products = join(files, '商品マスタ.csv');
    const customers = join(files, '得意先マスタ.xlsx');
    writeFileSync(
      products,
      textBytes(
        sampleProductRows(50, (i) => 100 * i),
        'utf-8',
      ),
    );
    writeFileSync(customers, workbookBytes(sampleCustomerRows(), 'xlsx'));
    const app = appFace();
    const line = cliFace();
    app.answer(products);
    await app.call('importMaster', { list: 'products' });
    await line.run('master', 'import', 'products', products);
    app.answer(customers);
    await app.call('importMaster', { list: 'customers' });
    await line.run('master', 'import', 'customers', customers);
    await app.call('clearMaster', { list: 'products' });
    await line.run('master', 'clear', 'products');
    const fromApp = app.audit();
    expect(fromApp.map((e) => [e.action, e.details.list])).toEqual([
      ['master.imported', 'products'],
      ['master.imported', 'customers'],
      ['master.cleared', 'products'],
    ]);
    expect(fromApp[0]?.details).toMatchObject({ rows: 50, added: 50, changed: 0, removed: 0 });
    expect(line.audit()).toEqual(fromApp);
  });
});
