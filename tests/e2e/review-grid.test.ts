import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { openStore, type Store } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { sampleOrderRows, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { tempDirsPerTest } from '../helpers/tmp';
import { openApp, type RendererSession } from './harness';
import { expectAxeClean, pageOverflow, SIZES } from './page-checks';

const tempDir = tempDirsPerTest();
let session: RendererSession | undefined;
let store: Store | undefined;
let closeSync: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeSync?.();
  await session?.close();
  store?.close();
  session = closeSync = store = undefined;
});

/** Import a 40-order workbook with errors through the UI and open the grid. */
async function importAndReview(): Promise<RendererSession> {
  const dir = tempDir();
  const source = join(dir, '発注一覧.xlsx');
  writeFileSync(source, workbookBytes(sampleOrderRows({ orders: 40, maxLines: 2, withErrors: true, messy: true }), 'xlsx', '受注'));
  const dataDir = tempDir();
  const key = generateKey();
  store = openStore({ path: join(dataDir, 'store.db'), key });
  const ctx = createAppContext({
    version: '0.1.0',
    dataDir,
    store,
    actor: 'sato',
    key,
    dialogs: { openSpreadsheet: async () => source, saveFile: async () => null, openBackup: async () => null },
  });
  closeSync = () => ctx.sync.close();
  session = await openApp(ctx);
  const { page } = session;
  await page.getByRole('navigation').getByRole('button', { name: '取り込み', exact: true }).click();
  await page.getByRole('button', { name: 'ファイルを選択…' }).click();
  await page.getByRole('button', { name: '取り込む' }).click();
  await page.getByTestId('import-outcome').waitFor();
  await page.getByRole('button', { name: '注文を確認する' }).click();
  await page.getByTestId('review-grid').locator('tr[data-order-ref]').first().waitFor();
  return session;
}

describe('review grid', () => {
  it('shows why a row is invalid without hovering, keeps the order in view and scrolls to the active cell', async () => {
    const { page } = await importAndReview();
    const grid = page.getByTestId('review-grid');
    const box = page.locator('.grid-scroll');
    await page.getByLabel('状態', { exact: true }).selectOption({ label: 'エラー' });
    await expect.poll(() => grid.locator('tr[data-order-ref]').count()).toBe(5);

    // The problem column sits right after the frozen columns and is on screen at 1280 px.
    const row13 = grid.locator('tr[data-order-ref="PO-000013"]');
    const reason = row13.locator('td[data-col="3"]');
    expect(await reason.textContent()).toBe('メールがメールアドレスの形式ではありません。');
    const view = await box.boundingBox();
    const reasonBox = await reason.boundingBox();
    if (!view || !reasonBox) throw new Error('the grid or the reason cell is not laid out');
    expect(reasonBox.x + reasonBox.width).toBeLessThanOrEqual(view.x + view.width);
    // Values are shown normalised: one yen format and dates as 2026/12/08.
    const price = await row13.locator('td[data-col="9"]').textContent();
    expect(price).toMatch(/^￥[\d,]+$/);
    expect(await row13.locator('td[data-col="13"]').textContent()).toMatch(/^(\d{4}\/\d{2}\/\d{2})?$/);

    // Keyboard to the last column: the grid scrolls sideways and the order number stays put.
    await page.getByLabel('状態', { exact: true }).selectOption({ label: 'すべて' });
    await expect.poll(() => grid.locator('tr[data-order-ref]').count()).toBeGreaterThan(10);
    await grid.focus();
    await page.keyboard.press('Control+Home');
    const refBefore = await grid.locator('tr[data-index="0"] td[data-col="1"]').boundingBox();
    for (let i = 0; i < 16; i += 1) await page.keyboard.press('ArrowRight');
    expect(await grid.getAttribute('aria-activedescendant')).toMatch(/-r0-c15$/);
    expect(await box.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    const last = await grid.locator('tr[data-index="0"] td[data-col="15"]').boundingBox();
    const refAfter = await grid.locator('tr[data-index="0"] td[data-col="1"]').boundingBox();
    if (!last || !refBefore || !refAfter) throw new Error('cells are not laid out');
    expect(last.x + last.width).toBeLessThanOrEqual(view.x + view.width);
    expect(refAfter.x).toBe(refBefore.x);
    // Back to the left: the first scrolling column shows beside the frozen ones again.
    await page.keyboard.press('Home');
    expect(await box.evaluate((el) => el.scrollLeft)).toBe(0);

    // The side panel shows the selected order, its problems with what to do, and the original text.
    await page.getByLabel('状態', { exact: true }).selectOption({ label: 'エラー' });
    await row13.locator('td[data-col="1"]').click();
    const panel = page.getByTestId('order-panel');
    await panel.getByRole('heading', { name: 'PO-000013' }).waitFor();
    expect(await panel.textContent()).toContain('「name@example.co.jp」の形で入力してください。');
    // The editor holds the cell's text as the file had it (the grid shows it normalised).
    expect(
      await panel
        .getByRole('textbox', { name: /単価（\d+行目）を編集/ })
        .first()
        .inputValue(),
    ).toMatch(/^[¥￥][\d,]+$/);

    // A fix shows a visible confirmation.
    await panel.getByRole('textbox', { name: /メール（\d+行目）を編集/ }).fill('order13@example.co.jp');
    await panel.getByRole('textbox', { name: /メール（\d+行目）を編集/ }).press('Enter');
    const toast = page.getByTestId('review-toast');
    await toast.filter({ hasText: 'PO-000013を修正しました・有効になりました' }).waitFor();
    expect(await toast.isVisible()).toBe(true);
    await expect.poll(() => grid.locator('tr[data-order-ref]').count()).toBe(4);
    expect(session?.problems).toEqual([]);
  }, 120_000);

  it('edits like a spreadsheet: bulk set, fill-down, find & replace, copy, paste of a 3x2 range, undo', async () => {
    const { page } = await importAndReview();
    const grid = page.getByTestId('review-grid');
    const cell = (row: number, col: number) => grid.locator(`tr[data-index="${row}"] td[data-col="${col}"]`);
    const toast = page.getByTestId('review-toast');
    const NOTES = 14;
    const SKU = 7;
    const QUANTITY = 8;
    const db = store?.db;
    if (!db) throw new Error('no store');
    const bulkEntries = () =>
      (db.prepare("SELECT details FROM audit_log WHERE action = 'orders.bulk_edited' ORDER BY seq").all() as { details: string }[]).map(
        (r) => JSON.parse(r.details) as Record<string, unknown>,
      );

    // Bulk "set field to…" for three orders chosen with click and Ctrl+click (rows 0, 2 and 4: PO-000001, 2 and 4).
    await cell(0, NOTES).click();
    await cell(2, NOTES).click({ modifiers: ['Control'] });
    await cell(4, NOTES).click({ modifiers: ['Control'] });
    await page.getByText('まとめて編集・置換').click();
    const setForm = page.getByRole('form', { name: 'まとめて設定' });
    await setForm.getByLabel('項目').selectOption({ label: '備考' });
    await setForm.getByLabel('値').fill('至急');
    await setForm.getByRole('button', { name: '選択した3行に設定' }).click();
    await toast.filter({ hasText: '3件のセルを変更しました（注文3件のうち有効3件）。' }).waitFor();
    for (const row of [0, 1, 2, 4]) await expect.poll(() => cell(row, NOTES).textContent()).toBe('至急');
    expect(await cell(3, NOTES).textContent()).not.toBe('至急');

    // Fill-down (Ctrl+D): the quantity of row 6 into rows 7 and 8, selected with Shift+ArrowDown.
    const quantity = await cell(6, QUANTITY).textContent();
    await cell(6, QUANTITY).click();
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Control+d');
    await expect.poll(() => cell(8, QUANTITY).textContent()).toBe(quantity);
    expect(await cell(7, QUANTITY).textContent()).toBe(quantity);

    // Find & replace within a field, with a preview count before anything changes.
    const replaceForm = page.getByRole('form', { name: '検索と置換' });
    await replaceForm.getByLabel('項目').selectOption({ label: '備考' });
    await replaceForm.getByLabel('検索する文字').fill('至急');
    await replaceForm.getByLabel('置換後').fill('通常便');
    // PO-000001 has one line, PO-000002 and PO-000004 two each: the note shows on 5 lines.
    await page.getByTestId('replace-preview').filter({ hasText: '5件が一致' }).waitFor();
    await replaceForm.getByRole('button', { name: '置換' }).click();
    for (const row of [0, 2, 4]) await expect.poll(() => cell(row, NOTES).textContent()).toBe('通常便');

    // Copy: the selected range as tab-separated text, as Excel reads it.
    await cell(0, 1).click();
    await cell(1, 2).click({ modifiers: ['Shift'] });
    const copied = await grid.evaluate((el) => {
      const data = new DataTransfer();
      el.dispatchEvent(new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }));
      return data.getData('text/plain');
    });
    expect(copied).toBe('PO-000001\t有効\r\nPO-000002 (1/2)\t有効\r\n');

    // Paste a 3x2 block (品番, 数量) from Excel at row 10: every value validated, the bad quantity reported.
    const before = await Promise.all([10, 11, 12].map((r) => cell(r, SKU).textContent()));
    await cell(10, SKU).click();
    await grid.evaluate((el) => {
      const data = new DataTransfer();
      data.setData('text/plain', 'SKU-9001\t1\r\nSKU-9002\t2\r\nSKU-9003\tたくさん\r\n');
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await toast.filter({ hasText: '6件のセルを変更しました' }).waitFor();
    expect(await toast.textContent()).toMatch(/のうち有効\d+件/);
    await expect.poll(() => cell(12, SKU).textContent()).toBe('SKU-9003');
    expect(await cell(12, QUANTITY).getAttribute('aria-invalid')).toBe('true');

    // Undo (Ctrl+Z) puts the pasted cells back; redo is offered.
    await page.keyboard.press('Control+z');
    await toast.filter({ hasText: '6件のセルを元に戻しました。' }).waitFor();
    await expect.poll(() => Promise.all([10, 11, 12].map((r) => cell(r, SKU).textContent()))).toEqual(before);
    expect(await page.getByRole('button', { name: 'やり直す' }).isEnabled()).toBe(true);

    // Each bulk action is one audit entry with counts and never a value.
    expect(bulkEntries().map((e) => [e.kind, e.applied])).toEqual([
      ['set', 3],
      ['fill', 2],
      ['replace', 3],
      ['paste', 6],
      ['undo', 6],
    ]);
    expect(JSON.stringify(bulkEntries())).not.toMatch(/至急|通常便|SKU-900/);
    await expectAxeClean(page, 'review grid after bulk edits');
    expect(session?.problems).toEqual([]);
  }, 120_000);

  it('scrolls by updating its rows in place: no row is added, removed or moved while a scroll goes on', async () => {
    const { page } = await importAndReview();
    /** Scrolls a row a frame for 6 frames and counts the rows the grid added, removed or moved meanwhile. */
    const rowMoves = () =>
      page.evaluate(`(async () => {
        const box = document.querySelector('.grid-scroll');
        let moves = 0;
        const observer = new MutationObserver((records) => {
          for (const r of records) moves += r.addedNodes.length + r.removedNodes.length;
        });
        observer.observe(box.querySelector('tbody'), { childList: true });
        for (let i = 0; i < 6; i += 1) {
          box.scrollTop += 34;
          await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        }
        observer.disconnect();
        return moves;
      })()`);
    // From the top (the overscan above fills in as the first rows leave), then from the middle of the grid after
    // the scroll settled (the rows are back in reading order then).
    expect(await rowMoves()).toBe(0);
    await page.evaluate(`document.querySelector('.grid-scroll').scrollTop = 500`);
    await page.waitForTimeout(400);
    expect(await rowMoves()).toBe(0);
    expect(session?.problems).toEqual([]);
  }, 60_000);

  it('shows the next step as a button on every empty screen', async () => {
    const dataDir = tempDir();
    store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
    session = await openApp(createAppContext({ version: '0.1.0', dataDir, store, actor: 'sato' }));
    const { page } = session;
    for (const screen of ['注文の確認', '連携', '履歴・監査']) {
      await page.getByRole('navigation').getByRole('button', { name: screen, exact: true }).click();
      await page.locator('.empty').getByRole('button', { name: 'ファイルを取り込む' }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('取り込み');
    }
    expect(session.problems).toEqual([]);
  }, 60_000);

  it('fills the window at both sizes in both languages without page scroll, axe clean', async () => {
    const { page } = await importAndReview();
    const navButtons = page.getByRole('navigation').getByRole('button');
    for (const locale of ['ja', 'en'] as const) {
      await page.locator('.topbar select').selectOption(locale);
      for (const size of SIZES) {
        await page.setViewportSize(size);
        // Every screen: the page never scrolls sideways (nor down: screens scroll inside the window).
        for (let i = (await navButtons.count()) - 1; i >= 0; i -= 1) {
          await navButtons.nth(i).click();
          const screen = `${await page.getByRole('heading', { level: 1 }).textContent()} ${locale} ${size.width}x${size.height}`;
          await expect.poll(() => pageOverflow(page), { message: screen }).toEqual({ x: 0, y: 0 });
          if (i === 0) {
            await expectAxeClean(page, screen);
            await session?.screenshot(`batches-${locale}-${size.width}x${size.height}`);
          }
        }
        await navButtons.nth(2).click();
        await page.getByTestId('review-grid').waitFor();
        const tag = `review-grid-${locale}-${size.width}x${size.height}`;
        await expect.poll(() => pageOverflow(page), { message: tag }).toEqual({ x: 0, y: 0 });
        // The grid takes the height that is left, and the chrome above it is compact enough that a short window
        // still shows 9 rows (6 before the chrome was tightened) and an 800 px one 13.
        const grid = await page.locator('.grid-scroll').boundingBox();
        const header = await page.locator('.grid-header').boundingBox();
        const rows = ((grid?.height ?? 0) - (header?.height ?? 0)) / 34;
        expect(rows, tag).toBeGreaterThanOrEqual(size.height < 700 ? 9 : 13);
        await expectAxeClean(page, tag);
        await session?.screenshot(tag);
      }
    }
    expect(session?.problems).toEqual([]);
  }, 120_000);
});
