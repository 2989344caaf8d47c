import { existsSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { createHandlers } from '../../main/handlers';
import { insertBatch } from '../../main/store/batches';
import { openStore, type Store } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { readSetting } from '../../main/store/settings';
import { tempDirsPerTest } from '../helpers/tmp';
import { CHROMIUM_PATH, openApp, openRenderer, type RendererSession } from './harness';

const tempDir = tempDirsPerTest();
let session: RendererSession | undefined;
let store: Store | undefined;
afterEach(async () => {
  await session?.close();
  store?.close();
  session = undefined;
  store = undefined;
});

function seed(s: Store, fileName: string, orders: { ref: string; status: 'valid' | 'invalid'; amount: number }[]) {
  const batchId = insertBatch(s.db, {
    sourceFileName: fileName,
    sourceSha256: 'c'.repeat(64),
    sheetName: '受注',
    encoding: null,
    headerRow: 3,
    columnMapping: {},
    importedBy: 'sato',
    importedAt: '2026-11-20T01:30:00.000Z',
  });
  const insert = s.db.prepare(
    `INSERT INTO orders (batch_id, order_ref, client_reference, total_amount, validation_status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, datetime('now'), datetime('now'))`,
  );
  for (const o of orders) insert.run(batchId, o.ref, `${fileName}-${o.ref}`, o.amount, o.status);
  return batchId;
}

async function seriousA11yViolations(s: RendererSession) {
  const results = await new AxeBuilder({ page: s.page }).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
}

describe('renderer in Chromium over the real handlers', () => {
  it('finds Debian Chromium', () => {
    expect(existsSync(CHROMIUM_PATH), `${CHROMIUM_PATH} missing: npm test installs Debian's chromium first`).toBe(true);
  });

  it('lists batches from the real encrypted store, in Japanese by default and in English on request', async () => {
    const dataDir = tempDir();
    store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
    seed(store, '2026年11月度_発注一覧.xlsx', [
      { ref: 'A-1', status: 'valid', amount: 12_000 },
      { ref: 'A-2', status: 'valid', amount: 300 },
      { ref: 'A-3', status: 'invalid', amount: 2_000_000 },
    ]);
    const ctx = createAppContext({ version: '0.1.0', dataDir, store, actor: 'sato' });
    session = await openRenderer(createHandlers(ctx));
    const { page } = session;

    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('バッチ一覧');
    const row = page.locator('tbody tr', { hasText: '2026年11月度_発注一覧.xlsx' });
    expect(await row.locator('td').allTextContents()).toEqual(expect.arrayContaining(['3', '2', '1', '￥12,300連携済み：￥0']));
    // The status says what the counts mean: an order has an error to fix.
    expect(await row.getByTestId('batch-state').textContent()).toBe('エラーあり');
    expect(await page.getByText('デモモード（内蔵シミュレーター）').count()).toBe(1);
    expect(await page.getByText('暗号化済み（sqlcipher）').count()).toBe(1);
    expect(await seriousA11yViolations(session)).toEqual([]);
    await session.screenshot('shell-batches-ja');

    await page.getByLabel('表示言語').selectOption('en');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Batches');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await row.locator('td').allTextContents()).toEqual(expect.arrayContaining(['¥12,300synced ¥0']));
    expect(await row.getByTestId('batch-state').textContent()).toBe('Has errors');
    expect(readSetting(store.db, 'locale', 'ja')).toBe('en');
    expect(await seriousA11yViolations(session)).toEqual([]);
    await session.screenshot('shell-batches-en');

    expect(session.problems).toEqual([]);
  });

  it('refreshes when main reports a changed batch', async () => {
    const dataDir = tempDir();
    store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
    const ctx = createAppContext({ version: '0.1.0', dataDir, store, actor: 'sato' });
    session = await openRenderer(createHandlers(ctx));
    const { page } = session;
    await page.getByText('取り込まれたバッチはまだありません。').waitFor();
    await session.screenshot('shell-empty-ja');

    const id = seed(store, 'late-arrival.csv', [{ ref: 'Z-9', status: 'valid', amount: 5_000 }]);
    await session.emit('batchesChanged', { batchIds: [id] });
    await page.locator('tbody tr', { hasText: 'late-arrival.csv' }).waitFor();
    expect(await page.getByTestId('batch-count').textContent()).toBe('1件のバッチ');
    expect(session.problems).toEqual([]);
  });

  it('names what the audit check found wrong besides the chain: missing entries, dropped triggers', async () => {
    const dataDir = tempDir();
    store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
    // A batch with no import entry, as after the log was emptied, and the append-only triggers gone.
    seed(store, 'orphan.csv', [{ ref: 'O-1', status: 'valid', amount: 1_000 }]);
    store.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    session = await openRenderer(createHandlers(createAppContext({ version: '0.1.0', dataDir, store, actor: 'sato' })));
    const { page } = session;
    await page.getByRole('button', { name: '履歴・監査' }).click();
    await page.getByRole('button', { name: '改ざんチェック' }).click();
    const verdict = page.getByTestId('audit-verification');
    await verdict.getByText(/バッチ1（1件）の取り込みが監査ログにありません/).waitFor();
    expect(await verdict.textContent()).toContain(
      '監査ログを追記専用にするトリガー（audit_log_no_update, audit_log_no_delete）がありません。',
    );
    expect(await verdict.textContent()).not.toContain('改ざんされていません');
    expect(session.problems).toEqual([]);
  });

  it('navigates between screens with the keyboard', async () => {
    const dataDir = tempDir();
    store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
    session = await openRenderer(createHandlers(createAppContext({ version: '0.1.0', dataDir, store, actor: 'sato' })));
    const { page } = session;
    await page.getByRole('button', { name: '設定' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('設定');
    expect(await page.getByRole('button', { name: '設定' }).getAttribute('aria-current')).toBe('page');
  });

  it('runs a sync from the dashboard with live progress, pause and resume', async () => {
    const { importFile } = await import('../../main/import/stage');
    const { sampleOrderRows, workbookBytes } = await import('../../scripts/fixtures/sample-sheets');
    const dataDir = tempDir();
    store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
    importFile(store.db, {
      fileName: '12月分.xlsx',
      bytes: workbookBytes(sampleOrderRows({ orders: 30, maxLines: 1 }), 'xlsx'),
      actor: 'sato',
    });
    const ctx = createAppContext({ version: '0.1.0', dataDir, store, actor: 'sato' });
    // The shell's own wiring relays the manager's progress and the batch refresh to the window.
    session = await openApp(ctx);
    const { page } = session;
    try {
      await page.getByRole('button', { name: '連携', exact: true }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('連携');
      expect(await page.getByLabel('バッチ').locator('option').first().textContent()).toBe('12月分.xlsx（有効30件）');
      await page.getByRole('button', { name: '連携を開始' }).click();
      await page.getByTestId('sync-state').filter({ hasText: '実行中' }).waitFor();
      await page.getByRole('button', { name: '一時停止' }).click();
      await page.getByTestId('sync-state').filter({ hasText: '一時停止中' }).waitFor();
      expect(await page.getByRole('button', { name: '再開' }).isEnabled()).toBe(true);
      await session.screenshot('sync-paused-ja');
      await page.getByRole('button', { name: '再開' }).click();
      await page.getByTestId('sync-state').filter({ hasText: '完了' }).waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('sync-overall').textContent()).toBe('30/30件');
      expect(await page.getByTestId('sync-failed').textContent()).toBe('0件 / 0件');
      expect(await page.locator('progress').count()).toBe(4);
      expect(await seriousA11yViolations(session)).toEqual([]);
      await session.screenshot('sync-finished-ja');
      const actions = (store.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'sync.%'").all() as { action: string }[]).map(
        (r) => r.action,
      );
      expect(actions).toEqual(['sync.started', 'sync.paused', 'sync.resumed', 'sync.finished']);
      expect(session.problems).toEqual([]);
    } finally {
      await ctx.sync.close();
    }
  });
});
