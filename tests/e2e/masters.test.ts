import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { PRODUCT_HEADERS } from '../../scripts/fixtures/sample-masters';
import { SAMPLE_HEADERS, sampleLine, textBytes } from '../../scripts/fixtures/sample-sheets';
import { importFile } from '../../main/import/stage';
import { openStore } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { tempDirsPerTest } from '../helpers/tmp';
import { openApp } from './harness';

const tempDir = tempDirsPerTest();
const opened: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of opened.splice(0).reverse()) await close();
});

describe('the master screen in Chromium', () => {
  it('imports a product list through the file dialog, shows its count, what revalidation changed, and fixes a code in place', async () => {
    const file = join(tempDir(), '商品マスタ.csv');
    writeFileSync(
      file,
      textBytes(
        [PRODUCT_HEADERS, ['SKU-1', null, 'ボールペン', 1500, null, null, null], ['SKU-2', null, 'ノート', 800, null, null, null]],
        'utf-8',
      ),
    );
    const dataDir = tempDir();
    const store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
    opened.push(() => store.close());
    // A staged order whose SKU the list will not have: the import makes it invalid.
    importFile(store.db, {
      fileName: 'o.csv',
      // SKU-01: the list's SKU-1 with a leading zero, which the master check suggests.
      bytes: textBytes([SAMPLE_HEADERS, sampleLine('M-1', { 品番: 'SKU-01' })], 'utf-8'),
      actor: 'sato',
    });
    const ctx = createAppContext({
      version: '0.1.0',
      dataDir,
      store,
      actor: 'sato',
      key: generateKey(),
      dialogs: { openSpreadsheet: async () => file, saveFile: async () => null, openBackup: async () => null },
    });
    // The app's own event wiring: the grid reloads when main says the batch changed.
    const session = await openApp(ctx);
    opened.push(
      () => session.close(),
      () => ctx.sync.close(),
    );
    const { page } = session;
    await page.getByRole('navigation').getByRole('button', { name: 'マスタ', exact: true }).click();
    const products = page.getByTestId('master-products');
    await products.getByRole('button', { name: '取り込む' }).click();
    await page.getByTestId('master-outcome').waitFor();
    expect(await page.getByTestId('master-outcome').textContent()).toBe(
      '商品マスタ：2件を取り込みました（追加2件、変更0件、削除0件、読めない行0件）。 未連携のバッチ1件を再検証しました：無効になった注文1件、有効になった注文0件。',
    );
    expect(await products.textContent()).toContain('2件');
    expect(await products.textContent()).toContain('商品マスタ.csv');
    await products.getByRole('button', { name: '置き換える' }).waitFor();

    // In the review grid: the reason in words (with the suggestion), and the side panel applies it.
    await page.getByRole('navigation').getByRole('button', { name: '注文の確認', exact: true }).click();
    const grid = page.getByRole('grid');
    const row = grid.locator('tr[data-order-ref="M-1"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('候補：SKU-1');
    await row.locator('td[data-col="1"]').click();
    const panel = page.getByTestId('order-panel');
    await panel.getByRole('heading', { name: 'M-1' }).waitFor();
    await panel.getByRole('button', { name: 'SKU-1', exact: true }).click();
    await expect.poll(() => row.textContent()).not.toContain('候補：SKU-1');
    const sku = store.db
      .prepare("SELECT l.sku FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.order_ref = 'M-1'")
      .pluck()
      .get();
    expect(sku).toBe('SKU-1');
  });
});
