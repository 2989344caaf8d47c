import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { importFile } from '../../main/import/stage';
import { type Simulator, startSimulator } from '../../main/simulator/server';
import { openStore, type Store } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { writeSetting } from '../../main/store/settings';
import { sampleOrderRows, workbookBytes } from '../../scripts/fixtures/sample-sheets';
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
  session = undefined;
  store = undefined;
  sim = undefined;
  closeSync = undefined;
});

/** axe finds no serious or critical violation (on the open dialog: the rest of the window is inert). */
async function expectAxeClean(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
  expect(serious, `axe on ${what}`).toEqual([]);
  const text = (await page.locator('body').textContent()) ?? '';
  expect(text, `untranslated text on ${what}`).not.toMatch(/\b(confirm|sync|syncList|review)\.[A-Za-z_]+/);
}

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');

/** Staff's limits in Settings: orders and payments free, notifications `rate` a second. */
function limitNotifications(s: Store, rate: number, concurrency: number): void {
  writeSetting(s.db, 'syncLimits', {
    orders: { ratePerSecond: null, concurrency: 8, timeoutMs: 30_000 },
    payments: { ratePerSecond: null, concurrency: 16, timeoutMs: 30_000 },
    notifications: { ratePerSecond: rate, concurrency, timeoutMs: 10_000 },
  });
}

/** A store with one imported batch of `orders` one-line orders, and the simulator on loopback as the production backend. */
async function productionSetup(orders: number, simConfig: Record<string, unknown> = {}) {
  const dataDir = tempDir();
  store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
  const { batchId } = importFile(store.db, {
    fileName: '12月分.xlsx',
    bytes: workbookBytes(sampleOrderRows({ orders, maxLines: 1 }), 'xlsx'),
    actor: 'sato',
  });
  sim = await startSimulator({ config: simConfig });
  writeSetting(store.db, 'backendUrl', sim.url);
  writeSetting(store.db, 'backendClientId', 'order-stager-demo');
  writeSetting(store.db, 'backendClientSecret', 'demo-secret');
  const ctx = createAppContext({ version: '0.1.0', dataDir, store, actor: 'sato' });
  closeSync = () => ctx.sync.close();
  return { ctx, batchId, host: new URL(sim.url).host };
}

describe('sync confirmations, ETA and orders paid but not notified, in Chromium over the real handlers', () => {
  it('asks before a production run with its summary, shows the ETA in minutes, freezes it on pause, and after a confirmed cancel finishes the paid orders by notifying them once', async () => {
    const { ctx, host } = await productionSetup(200);
    // Notifications one a second: the run lasts minutes, and a cancel leaves paid orders not yet notified.
    limitNotifications(ctx.store, 1, 2);
    session = await openApp(ctx);
    const { page } = session;
    await page.getByRole('button', { name: '連携', exact: true }).click();
    const start = page.getByRole('button', { name: '連携を開始' });

    // The summary: orders, yen, the backend's host, the time the limits allow (200 notifications at 1/s).
    await start.click();
    const startDialog = page.getByRole('dialog', { name: '本番のバックエンドに連携しますか？' });
    await startDialog.waitFor();
    const summary = (await startDialog.getByTestId('sync-confirm-summary').textContent()) ?? '';
    expect(summary).toContain('200件');
    expect(summary).toMatch(/金額￥[\d,]+/);
    expect(summary).toContain(host);
    // The end time carries the date when it falls on another day (eta.test.ts): a run started just before midnight.
    expect(summary).toMatch(/約3分（(\d{1,2}\/\d{1,2} )?\d\d:\d\dごろ終了）/);
    expect(await focusedText(page)).toBe('やめる');
    await expectAxeClean(page, 'the start confirmation');
    await session.screenshot('sync-confirm-start-ja');
    // Esc goes back: nothing is sent, and focus is where it was.
    await page.keyboard.press('Escape');
    await startDialog.waitFor({ state: 'detached' });
    expect(await focusedText(page)).toBe('連携を開始');
    expect(sim?.stats().requests.orders).toBe(0);
    expect(ctx.sync.running).toBe(false);

    await start.click();
    await startDialog.getByRole('button', { name: '連携を開始' }).click();
    await page.getByTestId('sync-state').filter({ hasText: '実行中' }).waitFor();
    const eta = page.getByTestId('sync-eta');
    await expect.poll(() => eta.textContent(), { timeout: 15_000 }).toMatch(/^約\d+分（(\d{1,2}\/\d{1,2} )?\d\d:\d\dごろ終了）$/);

    // Paused: the ETA holds still (no counting down) and says so.
    await page.getByRole('button', { name: '一時停止' }).click();
    await page.getByTestId('sync-state').filter({ hasText: '一時停止中' }).waitFor();
    const held = await eta.textContent();
    expect(held).toMatch(/^(約\d+分|1分未満)（一時停止中）$/);
    // Progress keeps arriving while paused, with main's ETA moving (here: a paused event saying 2 hours):
    // the text must not move.
    const last = ctx.sync.status().progress;
    if (!last) throw new Error('no progress while paused');
    // Every text shown in the next 600 ms is the held one (main's own paused events may follow the injected
    // one and say the same as before, so only watching the whole time catches a text that moved and came back).
    await session.emit('syncProgress', { ...last, state: 'paused', etaS: 7200 });
    const etaTexts = new Set<string | null>();
    for (const until = Date.now() + 600; Date.now() < until; await page.waitForTimeout(20)) etaTexts.add(await eta.textContent());
    expect([...etaTexts]).toEqual([held]);
    await page.getByRole('button', { name: '再開' }).click();
    await page.getByTestId('sync-state').filter({ hasText: '実行中' }).waitFor();
    await expect.poll(() => sim?.stats().created.notifications ?? 0, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);

    // Cancel asks; "keep syncing" (the focused one) keeps it running.
    await page.getByRole('button', { name: '中止', exact: true }).click();
    const cancelDialog = page.getByRole('dialog', { name: '連携を中止しますか？' });
    await cancelDialog.waitFor();
    expect(await focusedText(page)).toBe('連携を続ける');
    await expectAxeClean(page, 'the cancel confirmation');
    await session.screenshot('sync-confirm-cancel-ja');
    await cancelDialog.getByRole('button', { name: '連携を続ける' }).click();
    await cancelDialog.waitFor({ state: 'detached' });
    expect(ctx.sync.running).toBe(true);
    await page.getByRole('button', { name: '中止', exact: true }).click();
    await cancelDialog.getByRole('button', { name: '中止する' }).click();
    await page.getByTestId('sync-state').filter({ hasText: '中止しました' }).waitFor({ timeout: 30_000 });
    // No ETA once the run has ended.
    expect(await eta.count()).toBe(0);

    // The orders left paid but not notified: listed with their own state, and finished by notifying them only.
    const paidRefs = ctx.store.db
      .prepare("SELECT o.order_ref FROM sync_state s JOIN orders o ON o.id = s.order_id WHERE s.state = 'paid' ORDER BY o.order_ref")
      .pluck()
      .all() as string[];
    expect(paidRefs.length).toBeGreaterThan(0);
    const panel = page.getByTestId('sync-paid-unnotified');
    await panel.waitFor();
    expect(await panel.textContent()).toContain(`${paidRefs.length}件の注文`);
    expect(await panel.locator('tbody th').allTextContents()).toEqual(paidRefs.slice(0, 200));
    expect(await panel.locator('tbody .badge').first().textContent()).toBe('決済済み・通知待ち');
    // The way out comes before the list and is on screen without scrolling; a long list scrolls in its own box.
    await page.setViewportSize({ width: 1093, height: 614 });
    const finishBox = await panel.getByRole('button', { name: '通知を送って完了' }).boundingBox();
    expect((finishBox?.y ?? 614) + (finishBox?.height ?? 0)).toBeLessThan(614);
    if (paidRefs.length > 10) expect(await panel.locator('.paid-list').evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    await expectAxeClean(page, 'the sync screen after a cancel');
    await session.screenshot('sync-cancelled-paid-ja');
    // The list never pushes the page sideways, at either window size.
    for (const size of [
      { width: 1093, height: 614 },
      { width: 1280, height: 800 },
    ]) {
      await page.setViewportSize(size);
      const overflow = await page.evaluate(() => {
        const content = document.querySelector('.content');
        return Math.max(document.documentElement.scrollWidth - window.innerWidth, content ? content.scrollWidth - content.clientWidth : 0);
      });
      expect(overflow, `${size.width}x${size.height}`).toBe(0);
    }

    // The batch list names it and offers to finish them.
    await page.getByRole('button', { name: 'バッチ一覧', exact: true }).click();
    await page.getByRole('button', { name: `通知待ち${paidRefs.length}件を完了` }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('連携');
    // The review grid shows them with that state, and filters by it.
    await page.getByRole('button', { name: '注文の確認', exact: true }).click();
    await page.getByLabel('状態', { exact: true }).selectOption({ label: '決済済み・通知待ち' });
    const grid = page.getByTestId('review-grid');
    const first = grid.locator(`tr[data-order-ref="${paidRefs[0]}"]`);
    await first.waitFor();
    expect(await first.textContent()).toContain('決済済み・通知待ち');
    // Only those orders (the rows the virtualized grid renders).
    const shown = await grid.locator('tr[data-order-ref]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-order-ref')));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((ref) => ref !== null && paidRefs.includes(ref))).toBe(true);
    await session.screenshot('review-paid-unnotified-ja');
    await page.getByRole('button', { name: '連携', exact: true }).click();
    await panel.waitFor();

    // Staff may raise the notification limit before finishing (the run reads Settings when it starts).
    limitNotifications(ctx.store, 20, 8);
    const before = sim?.stats();
    await panel.getByRole('button', { name: '通知を送って完了' }).click();
    const notifyDialog = page.getByRole('dialog', { name: '本番のバックエンドに通知を送りますか？' });
    await notifyDialog.waitFor();
    expect(await notifyDialog.getByTestId('sync-confirm-summary').textContent()).toContain(`${paidRefs.length}件`);
    await notifyDialog.getByRole('button', { name: '通知を送る' }).click();
    await page.getByTestId('sync-state').filter({ hasText: '完了' }).waitFor({ timeout: 60_000 });
    await panel.waitFor({ state: 'detached' });
    expect(await eta.count()).toBe(0);
    const after = sim?.stats();
    // Each paid order notified exactly once; no order created or paid again.
    expect(after?.requests.orders).toBe(before?.requests.orders);
    expect(after?.requests.payments).toBe(before?.requests.payments);
    expect((after?.created.notifications ?? 0) - (before?.created.notifications ?? 0)).toBe(paidRefs.length);
    expect(after?.notifications_repeated).toBe(0);
    expect(after?.duplicates).toEqual({ orders_per_client_reference: 0, payments_per_order: 0, notifications_for_unpaid_orders: 0 });
    const left = ctx.store.db
      .prepare(
        `SELECT count(*) FROM sync_state s JOIN orders o ON o.id = s.order_id WHERE o.order_ref IN (SELECT value FROM json_each(?)) AND s.state <> 'done'`,
      )
      .pluck()
      .get(JSON.stringify(paidRefs));
    expect(left).toBe(0);
    expect(session.problems).toEqual([]);
  }, 120_000);

  it('keeps the failure count and the failure list in agreement during the run, and ends with 完了（失敗2件）', async () => {
    // Orders 3 and 5 carry card tokens the backend declines; notifications at 2/s keep the run going a while.
    const token = (i: number) => `tok_${(i * 7919).toString(36)}`;
    const { ctx } = await productionSetup(16, { declinedTokens: [token(3), token(5)] });
    limitNotifications(ctx.store, 2, 2);
    session = await openApp(ctx);
    const { page } = session;
    await page.getByRole('button', { name: '連携', exact: true }).click();
    await page.getByRole('button', { name: '連携を開始' }).click();
    await page.getByRole('dialog', { name: '本番のバックエンドに連携しますか？' }).getByRole('button', { name: '連携を開始' }).click();
    // While it still runs: the header says two failed, and so does the list (not "none").
    await page.getByTestId('sync-failed').filter({ hasText: '2件 / 0件' }).waitFor({ timeout: 20_000 });
    const rows = page.getByTestId('sync-problems').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 5000 }).toBe(2);
    expect(await page.getByTestId('sync-state').textContent()).toBe('実行中');
    expect(await rows.locator('th').allTextContents()).toEqual(['PO-000003', 'PO-000005']);
    await page.getByTestId('sync-state').filter({ hasText: '完了（失敗2件）' }).waitFor({ timeout: 30_000 });
    expect(await rows.count()).toBe(2);
    expect(await page.getByTestId('sync-eta').count()).toBe(0);
    await session.screenshot('sync-finished-failed-ja');
    expect(session.problems).toEqual([]);
  }, 60_000);

  it('shows the start summary in English, with an ETA in hours and minutes from the limits', async () => {
    const { ctx, host } = await productionSetup(200);
    // One notification every 20 s: 200 take 4,000 s.
    limitNotifications(ctx.store, 0.05, 2);
    session = await openApp(ctx);
    const { page } = session;
    await page.locator('.topbar select').selectOption('en');
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await page.getByRole('button', { name: 'Start sync' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sync to the production backend?' });
    await dialog.waitFor();
    const summary = (await dialog.getByTestId('sync-confirm-summary').textContent()) ?? '';
    expect(summary).toMatch(/^Orders200Amount¥[\d,]+Backend/);
    expect(summary).toContain(host);
    expect(summary).toMatch(/about 1 h 7 min \(done around ([A-Z][a-z]{2} \d{1,2}, )?\d\d:\d\d\)$/);
    expect(await focusedText(page)).toBe('Go back');
    await expectAxeClean(page, 'the start confirmation in English');
    await session.screenshot('sync-confirm-start-en');
    await dialog.getByRole('button', { name: 'Go back' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(ctx.sync.running).toBe(false);
    expect(sim?.stats().requests.orders).toBe(0);
    expect(session.problems).toEqual([]);
  });
});
