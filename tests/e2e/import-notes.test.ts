import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { SAMPLE_HEADERS, sampleLine, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { createHandlers } from '../../main/handlers';
import { openStore } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { tempDirsPerTest } from '../helpers/tmp';
import { openRenderer } from './harness';

const tempDir = tempDirsPerTest();
/** What a test opened, closed after it in reverse order (sync, then the window, then the store). */
const opened: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of opened.splice(0).reverse()) await close();
});

describe('the import summary in Chromium', () => {
  it('says how many lines took the order number of the line above and how many dates had no year', async () => {
    const slipLine = (sku: string) => SAMPLE_HEADERS.map((h) => (h === '品番' ? sku : h === '数量' ? 1 : h === '単価' ? 500 : null));
    const file = join(tempDir(), '伝票.xlsx');
    writeFileSync(
      file,
      workbookBytes([SAMPLE_HEADERS, sampleLine('S-1', { 希望納品日: '12月24日' }), slipLine('S-1b'), slipLine('S-1c')], 'xlsx'),
    );
    // The store in its own folder: the app refuses to import files from its data folder.
    const dataDir = tempDir();
    // The context holds the store's own key: the import worker opens its connection to the store with it.
    const key = generateKey();
    const store = openStore({ path: join(dataDir, 'store.db'), key });
    opened.push(() => store.close());
    const ctx = createAppContext({
      version: '0.1.0',
      dataDir,
      store,
      actor: 'sato',
      key,
      dialogs: { openSpreadsheet: async () => file, saveFile: async () => null, openBackup: async () => null },
    });
    const session = await openRenderer(createHandlers(ctx, () => undefined));
    opened.push(
      () => session.close(),
      () => ctx.sync.close(),
    );
    const { page } = session;
    await page.getByRole('navigation').getByRole('button', { name: '取り込み', exact: true }).click();
    await page.getByRole('button', { name: 'ファイルを選択…' }).click();
    await page.getByRole('button', { name: '取り込む' }).click();
    await page.getByTestId('import-outcome').waitFor();
    expect(await page.getByTestId('import-outcome').textContent()).toMatch(/^注文1件（有効1件、エラー0件）、明細3行を/);
    expect(await page.getByTestId('import-note-continuedLines').textContent()).toBe(
      '注文番号が空欄の2行は、すぐ上の行の注文番号を引き継ぎました（伝票形式の行）。',
    );
    expect(await page.getByTestId('import-note-datesWithoutYear').textContent()).toBe(
      '年のない日付1件を、取込日以降で最も近いその日付として読みました。',
    );
  });
});
