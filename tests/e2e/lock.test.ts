import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { importFile } from '../../main/import/stage';
import { openStore } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { writeSetting } from '../../main/store/settings';
import { type SampleRow, sampleOrderRows, textBytes } from '../../scripts/fixtures/sample-sheets';
import { tempDirsPerTest } from '../helpers/tmp';
import { openApp } from './harness';

const tempDir = tempDirsPerTest();
const opened: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of opened.splice(0).reverse()) await close();
});

const PASSPHRASE = 'さくら 2026 spring';

const service = {
  waiting: 0,
  in_flight: 2,
  done: 1200,
  failed: 0,
  requests: 1200,
  rate_per_second: 9.8,
  average_per_second: 9.5,
  limit_per_second: 10,
  breaker: 'closed',
};
const runningSync = {
  runId: 1,
  state: 'running' as const,
  elapsedS: 120,
  total: 2000,
  done: 1200,
  failed: 3,
  needsReview: 1,
  services: { orders: service, payments: service, notifications: service },
  etaS: 80,
  yen: { staged: 3_000_000, synced: 1_800_000 },
  retries: 0,
  rateLimited: 0,
};

describe('the idle lock in Chromium', () => {
  it('locks by itself when idle, shows no personal data and answers nothing over IPC, then unlocks with the passphrase and continues', async () => {
    const rows = sampleOrderRows({ orders: 12, maxLines: 2 });
    const orders = rows.slice(3) as SampleRow[];
    // Every personal value of the fixture (names, emails, tokens, addresses) and each order number and the file name.
    const secrets = [...new Set(orders.flatMap((row) => [row[0], row[2], row[3], row[7], row[8]].map(String)))];
    const dataDir = tempDir();
    const store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
    opened.push(() => store.close());
    importFile(store.db, { fileName: '顧客別発注.csv', bytes: textBytes(rows, 'utf-8'), actor: 'sato' });
    secrets.push('顧客別発注.csv');
    const ctx = createAppContext({ version: '0.1.0', dataDir, store, actor: 'sato' });
    const session = await openApp(ctx);
    opened.push(
      () => session.close(),
      () => ctx.sync.close(),
      () => ctx.lock.stop(),
    );
    const { page } = session;
    const nav = (name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });
    const body = () => page.evaluate(() => document.body.innerHTML);

    // Set a passphrase in Settings.
    await nav('設定').click();
    await page.getByLabel('新しいパスフレーズ（8文字以上）').fill(PASSPHRASE);
    await page.getByLabel('新しいパスフレーズ（確認）').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'パスフレーズを保存' }).click();
    await page.getByText('パスフレーズを保存しました。').waitFor();

    // The grid shows the orders.
    await nav('注文の確認').click();
    await page.getByTestId('review-grid').locator('tr[data-order-ref]').first().waitFor();
    expect(await body()).toContain('株式会社さくら商事');

    // Nobody touches anything: main locks by itself after the (shortened) idle time.
    ctx.lock.setIdleMs(1500);
    ctx.lock.start();
    await page.waitForSelector('#root[data-app-state="locked"]', { timeout: 15_000 });
    await page.getByRole('heading', { name: '画面はロックされています' }).waitFor();
    const html = await body();
    for (const secret of secrets) expect(html, secret).not.toContain(secret);
    // Not hidden but gone: main refuses every data channel, whatever the page asks.
    const answer = await page.evaluate(() => (window as unknown as { api: { listBatches(): Promise<unknown> } }).api.listBatches());
    expect(answer).toEqual({ ok: false, error: { code: 'LOCKED', params: {} } });
    // A running sync's counts still show (only counts cross while locked).
    await session.emit('syncProgress', runningSync);
    await page.getByText('連携は続いています：完了1,200件・失敗3件・要確認1件（全2,000件）').waitFor();
    await session.screenshot('lock-ja');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    ctx.lock.setIdleMs(null);

    // Keyboard only: the passphrase field has the focus; a wrong one is refused and says how many tries are left.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('password');
    await page.keyboard.type('wrong passphrase');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'パスフレーズが違います。あと4回間違えると' }).waitFor();
    await page.keyboard.type(PASSPHRASE);
    await page.keyboard.press('Enter');

    // Back where staff were, with the data loaded again.
    await page.waitForSelector('#root[data-app-state="ready"]', { timeout: 15_000 });
    await page.getByTestId('review-grid').locator('tr[data-order-ref]').first().waitFor();
    expect(await body()).toContain('株式会社さくら商事');
    // And on: the history screen offers the access entries as a filter, and lists them.
    await nav('履歴・監査').click();
    await page.getByLabel('操作', { exact: true }).selectOption({ label: '個人情報の閲覧' });
    await expect.poll(() => page.locator('tr[data-action="access"]').count()).toBeGreaterThanOrEqual(2);
    const actions = store.db.prepare("SELECT action, details FROM audit_log WHERE action IN ('lock', 'unlock') ORDER BY seq").all();
    expect(actions).toEqual([
      { action: 'lock', details: '{"reason":"idle"}' },
      { action: 'unlock', details: '{"method":"passphrase","wrong_tries":1}' },
    ]);
    expect(session.problems).toEqual([]);
  }, 120_000);

  it('in English without a passphrase: Lock now from Settings, a plain Unlock button reached by keyboard, axe clean', async () => {
    const dataDir = tempDir();
    const store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
    opened.push(() => store.close());
    importFile(store.db, { fileName: 'orders.csv', bytes: textBytes(sampleOrderRows({ orders: 3 }), 'utf-8'), actor: 'sato' });
    writeSetting(store.db, 'locale', 'en');
    const ctx = createAppContext({ version: '0.1.0', dataDir, store, actor: 'sato' });
    const session = await openApp(ctx, { locale: 'en-US' });
    opened.push(
      () => session.close(),
      () => ctx.sync.close(),
    );
    const { page } = session;
    await page.getByRole('navigation').getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByText('No passphrase is set. Until one is, the lock screen opens with a button.').waitFor();
    await page.getByRole('button', { name: 'Lock now' }).scrollIntoViewIfNeeded();
    await session.screenshot('lock-settings-en');
    await page.getByRole('button', { name: 'Lock now' }).click();
    await page.waitForSelector('#root[data-app-state="locked"]', { timeout: 15_000 });
    await page.getByRole('heading', { name: 'The window is locked' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.evaluate(() => document.body.innerHTML)).not.toContain('株式会社さくら商事');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Unlock');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#root[data-app-state="ready"]', { timeout: 15_000 });
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(store.db.prepare("SELECT action, details FROM audit_log WHERE action IN ('lock', 'unlock') ORDER BY seq").all()).toEqual([
      { action: 'lock', details: '{"reason":"manual"}' },
      { action: 'unlock', details: '{"method":"none","wrong_tries":0}' },
    ]);
    expect(session.problems).toEqual([]);
  }, 120_000);
});
