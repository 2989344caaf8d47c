import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { PRODUCT_HEADERS } from '../../scripts/fixtures/sample-masters';
import { SAMPLE_HEADERS, sampleLine, textBytes } from '../../scripts/fixtures/sample-sheets';
import { createHandlers } from '../../main/handlers';
import { importFile } from '../../main/import/stage';
import { openStore } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { tempDirsPerTest } from '../helpers/tmp';
import { openRenderer } from './harness';

const tempDir = tempDirsPerTest();
const opened: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of opened.splice(0).reverse()) await close();
});

describe('the master screen in Chromium', () => {
  it('imports a product list through the file dialog, shows its count and last import, and what revalidation changed', async () => {
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
      bytes: textBytes([SAMPLE_HEADERS, sampleLine('M-1', { 品番: 'SKU-9' })], 'utf-8'),
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
    const session = await openRenderer(createHandlers(ctx, () => undefined));
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
      '商品マスタ: 2件を取り込みました（追加2件、変更0件、削除0件、読めない行0件）。 未連携のバッチ1件を再検証しました: 無効になった注文1件、有効になった注文0件。',
    );
    expect(await products.textContent()).toContain('2件');
    expect(await products.textContent()).toContain('商品マスタ.csv');
    await products.getByRole('button', { name: '置き換える' }).waitFor();
  });
});
