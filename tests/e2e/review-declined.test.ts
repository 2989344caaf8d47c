import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { importFile } from '../../main/import/stage';
import { type Simulator, startSimulator } from '../../main/simulator/server';
import { openStore, type Store } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { writeSetting } from '../../main/store/settings';
import { SAMPLE_HEADERS, sampleOrderRows, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { tempDirsPerTest } from '../helpers/tmp';
import { openApp, type RendererSession } from './harness';

const tempDir = tempDirsPerTest();
let session: RendererSession | undefined;
let store: Store | undefined;
let sim: Simulator | undefined;
let closeSync: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeSync?.();
  await session?.close();
  await sim?.close();
  store?.close();
  session = closeSync = store = sim = undefined;
});

interface Records {
  orders: { id: string; client_reference: string }[];
  payments: { order_id: string }[];
}

describe('a declined payment fixed in the grid', () => {
  it('takes a new token, refuses a change to the created order, and the next sync pays it once without a new order', async () => {
    const dataDir = tempDir();
    store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
    const rows = sampleOrderRows({ orders: 5, maxLines: 1 });
    // PO-000002 pays with a token the backend declines (the simulator's declinedTokens).
    (rows[4] as (string | number)[])[SAMPLE_HEADERS.indexOf('決済トークン')] = 'tok_declined';
    importFile(store.db, { fileName: '12月分.xlsx', bytes: workbookBytes(rows, 'xlsx'), actor: 'sato' });
    sim = await startSimulator({});
    writeSetting(store.db, 'backendUrl', sim.url);
    writeSetting(store.db, 'backendClientId', 'order-stager-demo');
    writeSetting(store.db, 'backendClientSecret', 'demo-secret');
    const ctx = createAppContext({ version: '0.1.0', dataDir, store, actor: 'sato' });
    closeSync = () => ctx.sync.close();
    session = await openApp(ctx);
    const { page } = session;
    const nav = (name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });
    const records = async () => (await (await fetch(`${sim?.url}/__sim/records`)).json()) as Records;
    /** Starts a sync and waits until the backend holds `payments` payments and the run is over. */
    const syncOnce = async (payments: number) => {
      await nav('連携').click();
      await page.getByRole('button', { name: '連携を開始' }).click();
      // The simulator is configured as the backend: a production run is confirmed first.
      await page.getByRole('dialog', { name: '本番のバックエンドに連携しますか？' }).getByRole('button', { name: '連携を開始' }).click();
      await expect.poll(async () => (await records()).payments.length, { timeout: 60_000 }).toBe(payments);
      await page.getByTestId('sync-state').filter({ hasText: '完了' }).waitFor({ timeout: 60_000 });
    };

    await syncOnce(4);

    // Home tells the truth after a partial sync, and its button opens the grid on the failed order.
    await nav('バッチ一覧').click();
    const batchRow = page.locator('tr[data-batch-id]');
    await batchRow.getByTestId('batch-state').filter({ hasText: '一部連携・失敗あり' }).waitFor();
    const cells = await batchRow.locator('td.num').evaluateAll((tds) => tds.map((td) => td.firstChild?.textContent ?? ''));
    // orders, valid, errors, synced, failed, needs review, then yen staged.
    expect(cells.slice(0, 6)).toEqual(['5', '5', '0', '4', '1', '0']);
    expect(await batchRow.textContent()).toMatch(/連携済み ￥[\d,]+/);
    const today = page.getByTestId('today');
    expect(await today.textContent()).toContain('1連携に失敗した注文');
    expect(await today.textContent()).toContain('次回の自動連携');
    await session.screenshot('dashboard-partial-ja');
    await batchRow.getByRole('button', { name: '失敗 1 件を確認' }).click();

    // The grid opens filtered to it, says what happened and what to do, and the token cell opens an editor.
    const grid = page.getByTestId('review-grid');
    expect(await page.getByLabel('状態', { exact: true }).inputValue()).toBe('failed');
    const row = grid.locator('tr[data-order-ref="PO-000002"]');
    await row.waitFor();
    expect(await row.locator('td[data-col="3"]').textContent()).toContain('次の連携で決済だけが行われます');
    // A field that would change the created order is refused, saying why and what to do.
    await row.locator('td[data-col="8"]').dblclick();
    await page.getByRole('alert').filter({ hasText: '注文 PO-000002はバックエンドに作成済みのため、数量は変更できません' }).waitFor();
    await row.locator('td[data-col="11"]').dblclick();
    const editor = grid.getByRole('textbox', { name: /決済トークン（\d+ 行目）を編集/ });
    await editor.fill('tok_renewed');
    await editor.press('Enter');
    await page.getByTestId('review-toast').filter({ hasText: 'PO-000002を修正しました・有効になりました' }).waitFor();

    // The next sync pays it: still one order at the backend for PO-000002, now with exactly one payment.
    await syncOnce(5);
    const after = await records();
    const reference = store.db.prepare("SELECT client_reference FROM orders WHERE order_ref = 'PO-000002'").pluck().get();
    const mine = after.orders.filter((o) => o.client_reference === reference);
    expect(mine).toHaveLength(1);
    expect(after.orders).toHaveLength(5);
    expect(after.payments.filter((p) => p.order_id === mine[0]?.id)).toHaveLength(1);
    expect(after.payments).toHaveLength(5);
    await nav('バッチ一覧').click();
    await page.locator('tr[data-batch-id]').getByTestId('batch-state').filter({ hasText: '連携済み' }).waitFor();
    expect(session.problems).toEqual([]);
  }, 120_000);
});
