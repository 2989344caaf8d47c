/**
 * The staff guide's screenshots (docs/guide/img/<lang>-<name>.png), taken from the real renderer bundle in
 * Chromium over the real handlers, store and built-in simulator (tests/e2e/harness.ts), at 1280×800, in
 * Japanese and English. `npm run guide:screenshots` builds the renderer first.
 *
 * Buttons and fields are found by their translated labels (the same i18n messages the app shows), so a
 * reworded label does not break the script. A shot that fails is reported and skipped, the others are
 * still taken; the exit status is 1 when any failed.
 *
 *   tsx scripts/guide/screenshots.ts [--only name,name] [--lang ja|en]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { createAppContext } from '../../main/app/context';
import { createHandlers } from '../../main/handlers';
import { importFile } from '../../main/import/stage';
import { createI18n } from '../../main/shared/i18n';
import { openStore } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { writeSetting } from '../../main/store/settings';
import { openApp } from '../../tests/e2e/harness';
import { SAMPLE_HEADERS, sampleOrderRows, workbookBytes } from '../fixtures/sample-sheets';
import type { Shot } from './shots';

const ROOT = resolve(__dirname, '..', '..');
export const GUIDE_IMG_DIR = join(ROOT, 'docs', 'guide', 'img');
const STEP_TIMEOUT = 20_000;

function args() {
  const list = (name: string) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? (process.argv[at + 1] ?? '').split(',').filter(Boolean) : null;
  };
  return { only: list('--only'), langs: (list('--lang') ?? ['ja', 'en']) as ('ja' | 'en')[] };
}

/** One language: a fresh store with a batch already synced (one payment declined), then the screens in turn. */
async function takeAll(lng: 'ja' | 'en', only: readonly string[] | null): Promise<string[]> {
  const failed: string[] = [];
  const { t } = createI18n(lng);
  // A fixed folder, so the store's location in the settings picture does not change from run to run.
  const work = join(tmpdir(), 'order-stager-guide', lng);
  rmSync(work, { recursive: true, force: true });
  const dataDir = join(work, 'Order Stager');
  mkdirSync(dataDir, { recursive: true });
  // The file staff pick in the import wizard: the client renamed the email column, so one field needs mapping.
  const sheetName = lng === 'ja' ? '2026年12月度_発注一覧.xlsx' : 'December-orders.xlsx';
  const sheet = join(work, sheetName);
  const rows = sampleOrderRows({ orders: 40, maxLines: 2, withErrors: true, messy: true, prefix: 'PO' });
  rows[2] = (rows[2] as string[]).map((h) => (h === 'メール' ? 'お客様メール' : h));
  writeFileSync(sheet, workbookBytes(rows, 'xlsx', '受注'));
  // A file that is not an order sheet: its error message has the guide's 詳しく link.
  const notSheet = join(work, lng === 'ja' ? '注文書.pdf' : 'order.pdf');
  writeFileSync(notSheet, '%PDF-1.4\n');
  const picks = [sheet, notSheet];

  const key = generateKey();
  const store = openStore({ path: join(dataDir, 'store.db'), key });
  writeSetting(store.db, 'locale', lng);
  const ctx = createAppContext({
    version: '0.1.0',
    dataDir,
    store,
    actor: lng === 'ja' ? 'sato' : 'smith',
    key,
    dialogs: { openSpreadsheet: async () => picks.shift() ?? null, saveFile: async () => null, openBackup: async () => null },
  });
  // An earlier batch, synced to the built-in simulator, whose payment for PO-000002 was declined.
  const earlier = sampleOrderRows({ orders: 12, maxLines: 1, prefix: 'NOV' });
  (earlier[4] as (string | number)[])[SAMPLE_HEADERS.indexOf('決済トークン')] = 'tok_declined';
  const { batchId: synced } = importFile(store.db, {
    fileName: lng === 'ja' ? '11月分_追加発注.xlsx' : 'November-extra.xlsx',
    bytes: workbookBytes(earlier, 'xlsx'),
    actor: ctx.actor,
  });
  await ctx.sync.runToEnd([synced]);
  const handlers = createHandlers(ctx);

  const session = await openApp(ctx, { locale: lng === 'ja' ? 'ja-JP' : 'en-US' });
  const { page } = session;
  page.setDefaultTimeout(STEP_TIMEOUT);
  const heading = page.getByRole('heading', { level: 1 });
  const nav = async (key: string, title = key) => {
    await page
      .getByRole('navigation')
      .getByRole('button', { name: t(`nav.${key}`), exact: true })
      .click();
    await heading.filter({ hasText: t(`${title}.title`) }).waitFor({ timeout: STEP_TIMEOUT });
  };
  // Buttons of the screen, not of the navigation (Import is both in English).
  const button = (key: string, params: Record<string, unknown> = {}) =>
    page.getByRole('main').getByRole('button', { name: t(key, params), exact: true });
  const shot = async (name: Shot, steps: () => Promise<void>) => {
    if (only && !only.includes(name)) {
      // Later shots build on earlier steps: run them, do not save them.
      try {
        await steps();
      } catch {
        // Skipped anyway.
      }
      return;
    }
    try {
      await steps();
      await settle(page);
      await page.screenshot({ path: join(GUIDE_IMG_DIR, `${lng}-${name}.png`) });
      process.stdout.write(`  ${lng}-${name}.png\n`);
    } catch (error) {
      failed.push(`${lng}-${name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      process.stdout.write(`  ${lng}-${name}.png FAILED\n`);
    }
  };

  try {
    await shot('batches', async () => {
      await nav('batches');
      await page.locator('tr[data-batch-id]').first().waitFor({ timeout: STEP_TIMEOUT });
    });
    await shot('import-drop', () => nav('import'));
    await shot('import-mapping', async () => {
      await button('import.pick').click();
      await page.getByTestId('import-file').filter({ hasText: sheetName }).waitFor({ timeout: STEP_TIMEOUT });
      await page.getByRole('alert').first().waitFor({ timeout: STEP_TIMEOUT });
    });
    await shot('import-done', async () => {
      await page.locator('#map-email').selectOption({ label: t('import.columnOption', { letter: 'D', header: 'お客様メール' }) });
      await button('import.run').click();
      await page.getByTestId('import-outcome').waitFor({ timeout: STEP_TIMEOUT });
    });
    const grid = page.getByTestId('review-grid');
    await shot('review-grid', async () => {
      await button('import.review').click();
      await grid.locator('tr[data-order-ref]').first().waitFor({ timeout: STEP_TIMEOUT });
      await page.getByLabel(t('review.status'), { exact: true }).selectOption({ label: t('review.statusValue.invalid') });
      await grid.locator('tr[data-order-ref="PO-000013"]').waitFor({ timeout: STEP_TIMEOUT });
    });
    await shot('review-panel', async () => {
      await grid.locator('tr[data-order-ref="PO-000013"] td[data-col="6"]').click();
      await page.getByTestId('order-panel').filter({ hasText: 'PO-000013' }).waitFor({ timeout: STEP_TIMEOUT });
    });
    await shot('review-bulk', async () => {
      await page.locator('summary', { hasText: t('review.bulk.title') }).click();
      await page.getByRole('button', { name: t('review.bulk.setFilter') }).waitFor({ timeout: STEP_TIMEOUT });
    });
    await shot('review-declined', async () => {
      await nav('batches');
      await page
        .locator(`tr[data-batch-id="${synced}"]`)
        .getByRole('button', { name: t('batches.next.failed', { formatted: '1' }) })
        .click();
      await grid.locator('tr[data-order-ref="NOV-000002"]').waitFor({ timeout: STEP_TIMEOUT });
      await grid.locator('tr[data-order-ref="NOV-000002"] td[data-col="3"]').click();
      await page.getByTestId('order-panel').filter({ hasText: 'NOV-000002' }).waitFor({ timeout: STEP_TIMEOUT });
    });
    await shot('sync-running', async () => {
      // Slow enough to be seen running: 4 notifications a second.
      const settings = await handlers.getSettings(undefined);
      await handlers.saveLimits({ ...settings.limits, notifications: { ...settings.limits.notifications, ratePerSecond: 4 } });
      await nav('sync');
      const batch = page.getByLabel(t('sync.batch'), { exact: true });
      const value = await batch.locator('option', { hasText: sheetName }).getAttribute('value');
      if (value) await batch.selectOption(value);
      await button('sync.start').click();
      await page
        .getByTestId('sync-state')
        .filter({ hasText: t('sync.state.running') })
        .waitFor({ timeout: STEP_TIMEOUT });
      await page.getByTestId('sync-overall').filter({ hasText: /[1-9]/ }).waitFor({ timeout: STEP_TIMEOUT });
    });
    await shot('sync-done', async () => {
      await page
        .getByTestId('sync-state')
        .filter({ hasText: t('sync.state.finished') })
        .waitFor({ timeout: 60_000 });
    });
    await shot('history', async () => {
      await nav('history');
      await page.getByTestId('audit-table').locator('tbody tr').first().waitFor({ timeout: STEP_TIMEOUT });
    });
    await shot('masters', async () => {
      await nav('masters');
      await page.getByTestId('masters-screen').waitFor({ timeout: STEP_TIMEOUT });
    });
    await shot('settings', () => nav('settings'));
    await shot('settings-store', async () => {
      await page.getByRole('button', { name: t('settings.backup') }).scrollIntoViewIfNeeded();
    });
    await shot('error-learn-more', async () => {
      await nav('import');
      // The wizard may still show the last import: start again, then pick the file that is no order sheet.
      const another = button('import.another');
      if (await another.isVisible()) await another.click();
      await button('import.pick').click();
      await page.getByRole('button', { name: t('guide.learnMoreLabel') }).waitFor({ timeout: STEP_TIMEOUT });
    });
  } finally {
    await session.close();
    await ctx.sync.close();
    store.close();
    rmSync(work, { recursive: true, force: true });
  }
  return failed;
}

/** Fonts loaded, no transition half-way, nothing focused that would draw a ring in the picture. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
}

async function main(): Promise<void> {
  const { only, langs } = args();
  mkdirSync(GUIDE_IMG_DIR, { recursive: true });
  const failed: string[] = [];
  for (const lng of langs) {
    process.stdout.write(`${lng}:\n`);
    failed.push(...(await takeAll(lng, only)));
  }
  if (failed.length) {
    process.stderr.write(`guide screenshots that failed (the others were written):\n${failed.map((f) => `  ${f}`).join('\n')}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`guide screenshots: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
