import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppContext, createAppContext } from '../../main/app/context';
import { createHandlers } from '../../main/handlers';
import { saveBackend, saveSchedule, setLocale } from '../../main/operations';
import { startSimulator } from '../../main/simulator/server';
import { readSetting } from '../../main/store/settings';
import { openStore } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { sampleOrderRows, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { tempDirsPerTest } from '../helpers/tmp';
import { ARTIFACTS_DIR, openRenderer, type RendererSession } from './harness';

const tempDir = tempDirsPerTest();
const opened: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of opened.splice(0).reverse()) await close();
});

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1093, height: 614 },
] as const;

const NAV = {
  ja: { import: '取り込み', settings: '設定', pick: 'ファイルを選択…' },
  en: { import: 'Import', settings: 'Settings', pick: 'Choose a file…' },
} as const;

/** The app over a fresh store with the real handlers; the OS file dialog answers `path`. */
async function openScreens(options: { locale?: 'ja' | 'en'; path?: string } = {}): Promise<{ ctx: AppContext; session: RendererSession }> {
  const dataDir = tempDir();
  const key = generateKey();
  const store = openStore({ path: join(dataDir, 'store.db'), key });
  opened.push(() => store.close());
  const dialogs = { openSpreadsheet: async () => options.path ?? null, saveFile: async () => null, openBackup: async () => null };
  const ctx = createAppContext({ version: '0.1.0', dataDir, store, actor: 'sato', key, dialogs });
  if (options.locale === 'en') setLocale(ctx, { locale: 'en' });
  const session = await openRenderer(createHandlers(ctx), { locale: options.locale === 'en' ? 'en-US' : 'ja-JP' });
  opened.push(() => session.close());
  return { ctx, session };
}

/** How far the page (the window, or the screen's scrolling area) reaches past the window's width. */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    const content = document.querySelector('.content');
    return Math.max(root.scrollWidth - root.clientWidth, content ? content.scrollWidth - content.clientWidth : 0);
  });
}

async function expectAxeClean(page: Page, screen: string): Promise<void> {
  const axe = await new AxeBuilder({ page }).analyze();
  expect(
    axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
    screen,
  ).toEqual([]);
}

/** A workbook whose email header a client renamed ("お客様メール"): email starts unmapped, with a suggestion. */
function renamedEmailWorkbook(): string {
  const rows = sampleOrderRows({ orders: 6, maxLines: 2 });
  rows[2] = (rows[2] as string[]).map((h) => (h === 'メール' ? 'お客様メール' : h));
  const path = join(tempDir(), '発注一覧.xlsx');
  writeFileSync(path, workbookBytes(rows, 'xlsx'));
  return path;
}

describe('import wizard: samples, suggestions, layout', () => {
  it('shows three sample values beside each mapped field and a one-click suggestion for an unmapped one', async () => {
    const { session } = await openScreens({ path: renamedEmailWorkbook() });
    const { page } = session;
    await page.getByRole('navigation').getByRole('button', { name: NAV.ja.import, exact: true }).click();
    await page.getByRole('button', { name: NAV.ja.pick }).click();
    await page.getByRole('alert').filter({ hasText: '必須の項目が割り当てられていません' }).waitFor();

    // Samples of the chosen column, its first three different values, described to screen readers.
    expect(await page.getByTestId('samples-order_ref').locator('.sample').allTextContents()).toEqual([
      'PO-000001',
      'PO-000002',
      'PO-000003',
    ]);
    expect(await page.locator('#map-order_ref').getAttribute('aria-describedby')).toBe('map-order_ref-samples');
    // Nothing is mapped to email: no samples, a suggestion from the header instead.
    expect(await page.getByTestId('samples-email').count()).toBe(0);
    const suggestion = page.getByTestId('suggestions-email');
    expect(await suggestion.textContent()).toContain('D列「お客様メール」を使う（見出しの名前から）');
    await session.screenshot('import-suggestion-ja');
    await expectAxeClean(page, 'import wizard with a suggestion');

    await suggestion.getByRole('button').click();
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    expect(await page.locator('#map-email').inputValue()).toBe('3');
    expect(await page.getByTestId('samples-email').locator('.sample').allTextContents()).toEqual([
      'order1@example.co.jp',
      'order2@example.co.jp',
      'order3@example.co.jp',
    ]);
  });

  for (const locale of ['ja', 'en'] as const) {
    it(`never scrolls the page sideways, and the preview stays beside or below the mapping (${locale})`, async () => {
      const { session } = await openScreens({ locale, path: renamedEmailWorkbook() });
      const { page } = session;
      await page.getByRole('navigation').getByRole('button', { name: NAV[locale].import, exact: true }).click();
      await page.getByRole('button', { name: NAV[locale].pick }).click();
      await page.getByTestId('suggestions-email').waitFor();
      for (const size of SIZES) {
        await page.setViewportSize(size);
        expect(await horizontalOverflow(page), `${locale} ${size.width}x${size.height}`).toBeLessThanOrEqual(0);
        // The dropdowns never run under the preview: their boxes do not overlap.
        const mapping = await page.locator('.table.mapping').boundingBox();
        const preview = await page.locator('.preview-wrap').boundingBox();
        if (!mapping || !preview) throw new Error('wizard not shown');
        const overlap = mapping.x < preview.x + preview.width && preview.x < mapping.x + mapping.width;
        const stacked = preview.y >= mapping.y + mapping.height;
        expect(!overlap || stacked, `${locale} ${size.width}x${size.height}`).toBe(true);
        await session.screenshot(`import-wizard-${locale}-${size.width}x${size.height}`);
      }
      await expectAxeClean(page, `import wizard ${locale}`);
    });
  }
});

async function openSettings(locale: 'ja' | 'en' = 'ja', before?: (ctx: AppContext) => void | Promise<void>) {
  const { ctx, session } = await openScreens({ locale });
  await before?.(ctx);
  const { page } = session;
  await page.getByRole('navigation').getByRole('button', { name: NAV[locale].settings, exact: true }).click();
  await page.locator('#schedule-title').waitFor();
  return { ctx, session, page };
}

describe('settings: schedule picker, field errors, connection test, layout', () => {
  it('sets 平日 02:00 with the picker, shows the next three runs, and stores it as cron', async () => {
    const { ctx, page } = await openSettings();
    const schedule = page.locator('form.schedule');
    await schedule.getByLabel('平日（月〜金）').check();
    await schedule.getByLabel('時刻1').fill('02:00');
    const runs = page.getByTestId('schedule-next-runs').locator('li');
    await expect.poll(() => runs.count()).toBe(3);
    for (const run of await runs.allTextContents()) expect(run).toMatch(/^\d{1,2}月\d{1,2}日（[月火水木金]）02:00$/);
    // The cron field is only under 詳細設定, closed.
    expect(await schedule.getByLabel('実行タイミング（cron 形式）').isVisible()).toBe(false);
    await schedule.getByRole('button', { name: '保存' }).click();
    await page.getByText('スケジュールを保存しました。').waitFor();
    expect(readSetting(ctx.store.db, 'syncSchedule', null)).toBe('0 2 * * 1-5');
    await schedule.screenshot({ path: join(ARTIFACTS_DIR, 'screenshots', 'settings-schedule-ja.png') });
  });

  it('opens a cron the picker cannot express under 詳細設定', async () => {
    const { page } = await openSettings('ja', (ctx) => {
      saveSchedule(ctx, { cron: '*/15 * * * *' });
    });
    const schedule = page.locator('form.schedule');
    expect(await schedule.getByLabel('実行タイミング（cron 形式）').inputValue()).toBe('*/15 * * * *');
    expect(await page.getByTestId('schedule-next-runs').locator('li').count()).toBe(3);
  });

  it('shows an error at its field: a timeout out of range, a URL the policy refuses', async () => {
    const { ctx, page, session } = await openSettings();
    const timeout = page.getByLabel('注文登録 タイムアウト（秒）');
    await timeout.fill('0');
    await page.locator('form[aria-labelledby="limits-title"]').getByRole('button', { name: '保存' }).click();
    await expect.poll(() => timeout.getAttribute('aria-invalid')).toBe('true');
    const errorId = await timeout.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toBe('1〜120の数値を入力してください。');
    // Not at the top of the page, and nothing saved.
    expect(await page.locator('.settings > .error').count()).toBe(0);
    expect(readSetting(ctx.store.db, 'syncLimits', null)).toBeNull();

    const backend = page.locator('form[aria-labelledby="backend-title"]');
    await backend.getByLabel('本番バックエンド').check();
    const url = backend.getByLabel('URL');
    await url.fill('http://orders.example.com');
    await backend.getByLabel('クライアント ID').fill('desk-1');
    await backend.getByLabel('クライアントシークレット').fill('s3cret');
    await backend.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => url.getAttribute('aria-invalid')).toBe('true');
    const urlError = await url.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${urlError}"]`).textContent()).toContain('https://');
    await session.screenshot('settings-field-errors-ja');
    await expectAxeClean(page, 'settings with field errors');
  });

  it('tests the connection to the configured backend (the simulator) and says so', async () => {
    const sim = await startSimulator({});
    opened.push(() => sim.close());
    const { page } = await openSettings('ja', (ctx) => {
      saveBackend(ctx, { mode: 'remote', url: sim.url, clientId: 'order-stager-demo', clientSecret: 'demo-secret' });
    });
    await page.getByRole('button', { name: '接続テスト' }).click();
    const result = page.getByTestId('connection-result');
    await expect.poll(() => result.textContent()).toMatch(/^成功: 127\.0\.0\.1に接続できました（応答 \d+\.\d\d秒）。$/);
    await page
      .locator('form[aria-labelledby="backend-title"]')
      .screenshot({ path: join(ARTIFACTS_DIR, 'screenshots', 'settings-connection-ok-ja.png') });
    expect(await result.textContent()).not.toContain('demo-secret');
  });

  it('names the failed step when the backend refuses the connection', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { page } = await openSettings('ja', (ctx) => {
      saveBackend(ctx, { mode: 'remote', url: `http://127.0.0.1:${port}`, clientId: 'desk-1', clientSecret: 's3cret' });
    });
    await page.getByRole('button', { name: '接続テスト' }).click();
    await expect
      .poll(() => page.getByTestId('connection-result').textContent())
      .toBe('失敗（接続）: サーバーが接続を受け付けませんでした。URL・ポート番号と、サーバーが動いているかを確認してください。');
  });

  for (const locale of ['ja', 'en'] as const) {
    it(`never scrolls the page sideways (${locale})`, async () => {
      const { page, session } = await openSettings(locale);
      // Every part of the form open: choose days, advanced.
      await page.locator('form.schedule input[type=radio]').nth(3).check();
      for (const size of SIZES) {
        await page.setViewportSize(size);
        expect(await horizontalOverflow(page), `${locale} ${size.width}x${size.height}`).toBeLessThanOrEqual(0);
        const limits = await page.locator('.table.limits').boundingBox();
        const panel = await page.locator('form[aria-labelledby="limits-title"]').boundingBox();
        if (!limits || !panel) throw new Error('limits not shown');
        expect(limits.x + limits.width).toBeLessThanOrEqual(panel.x + panel.width);
        await session.screenshot(`settings-${locale}-${size.width}x${size.height}`);
      }
      await page.locator('form.schedule').screenshot({ path: join(ARTIFACTS_DIR, 'screenshots', `settings-schedule-days-${locale}.png`) });
      await expectAxeClean(page, `settings ${locale}`);
    });
  }
});
