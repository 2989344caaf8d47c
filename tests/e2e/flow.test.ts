import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { sampleOrderRows, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { openStore, type Store } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { readSetting } from '../../main/store/settings';
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
  session = undefined;
  store = undefined;
  closeSync = undefined;
});

/** axe finds no serious or critical violation, and no translation key shows as raw text (a missing string). */
async function expectAccessible(s: RendererSession, screen: string) {
  const results = await new AxeBuilder({ page: s.page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
  expect(serious, `axe on ${screen}`).toEqual([]);
  const text = (await s.page.locator('body').textContent()) ?? '';
  expect(text, `untranslated text on ${screen}`).not.toMatch(
    /\b(app|nav|common|batches|import|review|sync|syncList|history|settings|fields|validation|validationCodes|errors|auditActions)\.[A-Za-z_]+/,
  );
}

const FILE = '2026年11月度_発注一覧.xlsx';

/**
 * The whole job as staff do it, in Japanese, in Chromium over the real handlers, store and built-in
 * simulator: import a messy sheet (fixing a column mapping), fix an invalid order in the grid, exclude
 * one, sync with pause and resume, export the errors, verify the audit chain. Only the OS dialogs are
 * scripted.
 */
describe('import → fix → sync → export → audit, end to end', () => {
  it('works through every screen without reading docs', async () => {
    const dir = tempDir();
    const rows = sampleOrderRows({ orders: 40, maxLines: 2, withErrors: true, messy: true });
    // The client renamed the email column: automatic mapping cannot know it.
    rows[2] = (rows[2] as string[]).map((h) => (h === 'メール' ? 'お客様メール' : h));
    const source = join(dir, FILE);
    writeFileSync(source, workbookBytes(rows, 'xlsx', '受注'));
    const exportPath = join(dir, 'errors.csv');
    const fixedPath = join(dir, 'errors-fixed.csv');
    // What the OS file dialog answers, in turn: the order sheet, then the corrected error file.
    const opens = [source, fixedPath];

    const dataDir = tempDir();
    const key = generateKey();
    // As the desktop app opens it: WAL checkpoints in a worker thread.
    store = openStore({ path: join(dataDir, 'store.db'), key, backgroundCheckpoints: true });
    const ctx = createAppContext({
      version: '0.1.0',
      dataDir,
      store,
      actor: 'sato',
      key,
      dialogs: { openSpreadsheet: async () => opens.shift() ?? null, saveFile: async () => exportPath, openBackup: async () => null },
    });
    closeSync = () => ctx.sync.close();
    // The shell's own wiring relays batch changes and sync progress to the window.
    session = await openApp(ctx);
    const live = session;
    const { page } = live;
    const heading = () => page.getByRole('heading', { level: 1 }).textContent();
    const nav = (name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });

    // 1. Import: pick the file, see the mapping, fix the one column automatic matching missed.
    await nav('取り込み').click();
    await page.getByRole('button', { name: 'ファイルを選択…' }).click();
    await page.getByTestId('import-file').filter({ hasText: FILE }).waitFor();
    await page.getByRole('alert').filter({ hasText: '必須の項目が割り当てられていません：メール' }).waitFor();
    expect(await page.getByRole('button', { name: '取り込む' }).isDisabled()).toBe(true);
    await expectAccessible(live, 'import (mapping)');
    await live.screenshot('import-mapping-ja');
    await page.locator('#map-email').selectOption({ label: 'D列：お客様メール' });
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    // The preview shows normalised values: full-width digits and yen amounts as staff typed them.
    expect(await page.locator('.preview tbody tr').first().textContent()).toContain('PO-000001');
    await page.getByLabel('この割り当てをテンプレートとして保存').fill('さくら商事 月次');
    await page.getByRole('button', { name: '取り込む' }).click();
    const outcome = page.getByTestId('import-outcome');
    await outcome.waitFor();
    expect(await outcome.textContent()).toMatch(/^注文40件（有効35件、エラー5件）、明細60行を[\d.]+秒で取り込みました。$/);
    await expectAccessible(live, 'import (done)');
    await live.screenshot('import-done-ja');

    // 2. Review: filter to the invalid orders, fix an email in the grid, exclude an order over the limit.
    await page.getByRole('button', { name: '注文を確認する' }).click();
    await expect.poll(heading).toBe('注文の確認');
    const grid = page.getByTestId('review-grid');
    await grid.locator('tr[data-order-ref]').first().waitFor();
    expect(await page.getByTestId('review-summary').textContent()).toContain('有効35件');
    await page.getByLabel('状態', { exact: true }).selectOption({ label: 'エラー' });
    await expect.poll(() => grid.locator('tr[data-order-ref]').count()).toBe(5);
    const broken = grid.locator('tr[data-order-ref="PO-000013"]');
    const emailCell = broken.locator('td[data-col="6"]');
    expect(await emailCell.getAttribute('aria-invalid')).toBe('true');
    expect(await emailCell.getAttribute('title')).toBe('メールがメールアドレスの形式ではありません。');
    await expectAccessible(live, 'review (invalid)');
    await live.screenshot('review-invalid-ja');
    await emailCell.dblclick();
    const editor = grid.getByRole('textbox', { name: /メール（\d+行目）を編集/ });
    await editor.fill('ｏｒｄｅｒ13@example.co.jp');
    await editor.press('Enter');
    await page.getByTestId('review-toast').filter({ hasText: 'PO-000013を修正しました・有効になりました' }).waitFor();
    await expect.poll(() => grid.locator('tr[data-order-ref]').count()).toBe(4);
    await grid.locator('tr[data-order-ref="PO-000029"]').getByRole('button', { name: '注文PO-000029を連携対象から除外' }).click();
    await expect.poll(() => grid.locator('tr[data-order-ref]').count()).toBe(3);
    await page.getByLabel('状態', { exact: true }).selectOption({ label: 'すべて' });
    await expect.poll(() => page.getByTestId('review-summary').textContent()).toContain('有効36件');
    expect(await page.getByTestId('review-summary').textContent()).toContain('除外1件');
    // Keyboard: arrows move the active cell, Enter edits it, Escape leaves it unchanged.
    await grid.focus();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    // Past the problem column (エラー内容) to the email.
    for (let i = 0; i < 6; i += 1) await page.keyboard.press('ArrowRight');
    expect(await grid.getAttribute('aria-activedescendant')).toMatch(/-r1-c6$/);
    await page.keyboard.press('Enter');
    await grid.getByRole('textbox', { name: /メール（\d+行目）を編集/ }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => grid.getByRole('textbox', { name: /を編集/ }).count()).toBe(0);
    expect(await page.getByTestId('review-summary').textContent()).toContain('有効36件');
    await live.screenshot('review-fixed-ja');

    // 3. Sync the batch with progress visible, pausing and resuming on the way.
    await page.getByRole('button', { name: '連携へ進む' }).click();
    await expect.poll(heading).toBe('連携');
    await page.getByRole('button', { name: '連携を開始' }).click();
    await page.getByTestId('sync-state').filter({ hasText: '実行中' }).waitFor();
    await page.getByRole('button', { name: '一時停止' }).click();
    await page.getByTestId('sync-state').filter({ hasText: '一時停止中' }).waitFor();
    await live.screenshot('sync-paused-flow-ja');
    await page.getByRole('button', { name: '再開' }).click();
    await page.getByTestId('sync-state').filter({ hasText: '完了' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('sync-overall').textContent()).toBe('36/36件');
    await page.getByTestId('sync-problems').filter({ hasText: '失敗・要確認の注文はありません。' }).waitFor();
    await expectAccessible(live, 'sync');
    await live.screenshot('sync-done-flow-ja');

    // 4. History: export the remaining errors through the save dialog, verify the audit chain.
    await nav('履歴・監査').click();
    await expect.poll(heading).toBe('履歴・監査');
    await page.getByRole('button', { name: `${FILE}の書き出し` }).click();
    await page.getByRole('menuitem', { name: 'エラー一覧（CSV）', exact: true }).click();
    await page
      .getByTestId('notice')
      .filter({ hasText: /^「errors\.csv」に\d+行を書き出しました。$/ })
      .waitFor();
    expect(existsSync(exportPath)).toBe(true);
    const exported = readFileSync(exportPath, 'utf8');
    expect(exported.charCodeAt(0)).toBe(0xfeff);
    expect(exported).toContain('PO-000007');
    expect(exported).not.toContain('PO-000013');
    expect(exported).not.toMatch(/4111 ?1111 ?1111 ?1111/);
    // Fix the missing email of PO-000007 in the exported file and bring it back into the batch.
    const parsed = Papa.parse<string[]>(exported.slice(1), { skipEmptyLines: true }).data;
    const emailColumn = parsed[0]?.indexOf('お客様メール') ?? -1;
    const row7 = parsed.find((r) => r[0] === 'PO-000007');
    if (!row7 || emailColumn < 0) throw new Error('PO-000007 or the email column is missing from the export');
    row7[emailColumn] = 'order7@example.co.jp';
    writeFileSync(fixedPath, `\ufeff${Papa.unparse(parsed)}`);
    await page.getByRole('button', { name: `${FILE}の修正済みエラーファイルを取り込む` }).click();
    await page
      .getByTestId('notice')
      .filter({ hasText: /^「errors-fixed\.csv」から\d+件の注文を更新しました/ })
      .waitFor();
    expect(await page.getByTestId('notice').textContent()).toContain('有効1件');
    await page.getByRole('button', { name: '改ざんチェック' }).click();
    const verdict = page.getByTestId('audit-verification');
    await verdict.waitFor();
    expect(await verdict.textContent()).toMatch(/監査ログは改ざんされていません（\d+件を確認）。/);
    const actions = await page
      .getByTestId('audit-table')
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action')));
    expect(actions).toEqual(
      expect.arrayContaining([
        'batch.imported',
        'mapping.saved',
        'order.edited',
        'order.excluded',
        'sync.finished',
        'batch.exported',
        'batch.reimported',
      ]),
    );
    await expectAccessible(live, 'history');
    await live.screenshot('history-ja');

    // 5. Settings, then the whole app in English.
    await nav('設定').click();
    await expect.poll(heading).toBe('設定');
    // Store facts in plain words; the cipher and page size only behind 詳細.
    await page.getByText('有効（AES-256）').waitFor();
    expect(await page.getByText('sqlcipher（ページ 16384 バイト）').count()).toBe(0);
    // Per-service limits: one row per service, each input labelled and bounded; saving reaches the store.
    const limitsForm = page.getByRole('form', { name: 'サービスごとの上限' });
    const paymentsConcurrency = limitsForm.getByLabel('決済 同時接続数');
    expect(await paymentsConcurrency.getAttribute('max')).toBe('64');
    await paymentsConcurrency.fill('3');
    await limitsForm.getByLabel('通知 件/秒（空欄は制限なし）').fill('5');
    await limitsForm.getByRole('button').click();
    await page.getByText('上限を保存しました。').waitFor();
    const limits = readSetting(store.db, 'syncLimits', null);
    expect(limits?.payments.concurrency).toBe(3);
    expect(limits?.notifications.ratePerSecond).toBe(5);
    await expectAccessible(live, 'settings');
    await live.screenshot('settings-ja');
    await page.locator('.topbar select').selectOption('en');
    await expect.poll(heading).toBe('Settings');
    await live.screenshot('settings-en');
    for (const [name, title] of [
      ['Import', 'Import'],
      ['Review orders', 'Review orders'],
      ['Sync', 'Sync'],
      ['History & audit', 'History & audit'],
    ] as const) {
      await nav(name).click();
      await expect.poll(heading).toBe(title);
      // Coming back to the grid after the sync shows the synced orders (not the statuses held before it).
      if (name === 'Review orders') await expect.poll(() => page.getByTestId('review-summary').textContent()).toContain('Synced36 orders');
      await expectAccessible(live, `${title} (en)`);
      await live.screenshot(`${title.toLowerCase().replace(/\W+/g, '-')}-en`);
    }
    expect(live.problems).toEqual([]);
  }, 180_000);
});
