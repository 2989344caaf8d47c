import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import AxeBuilder from '@axe-core/playwright';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { sampleOrderRows, textBytes } from '../../scripts/fixtures/sample-sheets';
import { KANA_HEADERS, KANA_MAP, kanaSheet } from '../helpers/sample-layouts';
import { createHandlers } from '../../main/handlers';
import { openStore } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { listOrders } from '../../main/store/orders';
import { tempDirsPerTest } from '../helpers/tmp';
import { openRenderer } from './harness';

const tempDir = tempDirsPerTest();
/** What each test opened, closed after it in reverse order (the window before its store). */
const opened: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of opened.splice(0).reverse()) await close();
});

/** The import screen over the real handlers and store; the OS file dialog answers `path`. */
async function importScreen(path: string) {
  const dataDir = tempDir();
  const key = generateKey();
  const store = openStore({ path: join(dataDir, 'store.db'), key });
  opened.push(() => store.close());
  const dialogs = { openSpreadsheet: async () => path, saveFile: async () => null, openBackup: async () => null };
  const session = await openRenderer(createHandlers(createAppContext({ version: '0.1.0', dataDir, store, actor: 'sato', key, dialogs })));
  opened.push(() => session.close());
  const { page } = session;
  await page.getByRole('navigation').getByRole('button', { name: '取り込み', exact: true }).click();
  await page.getByRole('button', { name: 'ファイルを選択…' }).click();
  return { page, db: store.db, session };
}

describe('import wizard: header row, hidden sheets, text files', () => {
  it('maps a sheet whose headers nothing recognises once staff give the header row', async () => {
    const path = join(tempDir(), 'kana.csv');
    writeFileSync(path, textBytes(kanaSheet('W'), 'shift_jis', ';'));
    const { page, db, session } = await importScreen(path);
    await page.getByRole('alert').filter({ hasText: '見出しが何行目かを指定すると' }).waitFor();
    const row = page.getByLabel('見出しの行（空欄なら自動判定）');
    await row.fill('3');
    await row.press('Enter');
    await page.getByRole('alert').filter({ hasText: '必須の項目が割り当てられていません' }).waitFor();
    expect(await page.locator('.facts').textContent()).toContain('セミコロン（;）');
    await session.screenshot('import-header-row-ja');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    for (const [field, header] of Object.entries(KANA_MAP)) {
      await page.locator(`#map-${field}`).selectOption(String(KANA_HEADERS.indexOf(header)));
    }
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    await page.getByRole('button', { name: '取り込む' }).click();
    await page.getByTestId('import-outcome').waitFor();
    expect(await page.getByTestId('import-outcome-text').textContent()).toBe(
      '文字コード：Shift_JIS（Windows Excel）、区切り文字：セミコロン（;）',
    );
    const batch = db.prepare('SELECT id, header_row FROM batches').get() as { id: number; header_row: number };
    expect(batch.header_row).toBe(3);
    expect(listOrders(db, batch.id).map((o) => [o.order_ref, o.status])).toEqual([
      ['W-1', 'valid'],
      ['W-2', 'valid'],
    ]);
  });

  it('starts on the visible sheet, marks hidden ones, and warns when one is chosen', async () => {
    const workbook = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(sampleOrderRows({ orders: 2, prefix: 'H' })), '先月');
    XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(sampleOrderRows({ orders: 1, prefix: 'V' })), '今月');
    workbook.Workbook = { Sheets: [{ Hidden: 1 }, { Hidden: 0 }] };
    const path = join(tempDir(), 'book.xlsx');
    writeFileSync(path, XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const { page, session } = await importScreen(path);
    const sheet = page.getByLabel('シート', { exact: true });
    await expect.poll(() => sheet.inputValue()).toBe('今月');
    expect(await sheet.locator('option').allTextContents()).toEqual(['先月（非表示）', '今月']);
    expect(await page.getByText('非表示のシート「先月」を取り込みます').count()).toBe(0);
    await sheet.selectOption('先月');
    await page.getByText('非表示のシート「先月」を取り込みます。').waitFor();
    await session.screenshot('import-hidden-sheet-ja');
    await page.getByRole('button', { name: '取り込む' }).click();
    await page.getByText('非表示のシート「先月」から取り込みました。').waitFor();
  });
});
