import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { openStore, type Store } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { sampleOrderRows, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { tempDirsPerTest } from '../helpers/tmp';
import { openApp, type RendererSession } from './harness';

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

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1093, height: 614 },
] as const;

async function expectAxeClean(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
  expect(serious, `axe on ${what}`).toEqual([]);
}

/** Neither the page nor the window scrolls: only the regions inside it do. */
async function pageOverflow(page: Page) {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return { x: root.scrollWidth - window.innerWidth, y: root.scrollHeight - window.innerHeight };
  });
}

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
    expect(await reason.textContent()).toBe('メール がメールアドレスの形式ではありません。');
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
    expect(await panel.textContent()).toContain('name@example.co.jp の形で入力してください。');
    // The editor holds the cell's text as the file had it (the grid shows it normalised).
    expect(
      await panel
        .getByRole('textbox', { name: /単価（\d+ 行目）を編集/ })
        .first()
        .inputValue(),
    ).toMatch(/^[¥￥][\d,]+$/);

    // A fix shows a visible confirmation.
    await panel.getByRole('textbox', { name: /メール（\d+ 行目）を編集/ }).fill('order13@example.co.jp');
    await panel.getByRole('textbox', { name: /メール（\d+ 行目）を編集/ }).press('Enter');
    const toast = page.getByTestId('review-toast');
    await toast.filter({ hasText: 'PO-000013を修正しました・有効になりました' }).waitFor();
    expect(await toast.isVisible()).toBe(true);
    await expect.poll(() => grid.locator('tr[data-order-ref]').count()).toBe(4);
    expect(session?.problems).toEqual([]);
  }, 120_000);

  it('fills the window at both sizes in both languages without page scroll, axe clean', async () => {
    const { page } = await importAndReview();
    for (const locale of ['ja', 'en'] as const) {
      await page.locator('.topbar select').selectOption(locale);
      for (const size of SIZES) {
        await page.setViewportSize(size);
        const tag = `review-grid-${locale}-${size.width}x${size.height}`;
        await expect.poll(() => pageOverflow(page), { message: tag }).toEqual({ x: 0, y: 0 });
        // The grid takes the height that is left: at least several rows at 614 px.
        const grid = await page.locator('.grid-scroll').boundingBox();
        expect(grid?.height ?? 0, tag).toBeGreaterThan(size.height < 700 ? 200 : 400);
        await expectAxeClean(page, tag);
        await session?.screenshot(tag);
      }
    }
    expect(session?.problems).toEqual([]);
  }, 120_000);
});
