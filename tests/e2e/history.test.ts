import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { appendAudit } from '../../main/audit/log';
import { importFile } from '../../main/import/stage';
import { editOrderField } from '../../main/import/edit';
import { openStore, type Store } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { sampleOrderRows, textBytes } from '../../scripts/fixtures/sample-sheets';
import { tempDirsPerTest } from '../helpers/tmp';
import { openApp, type RendererSession } from './harness';
import { expectAxeClean, pageOverflow, SIZES } from './page-checks';

const tempDir = tempDirsPerTest();
let session: RendererSession | undefined;
let store: Store | undefined;
afterEach(async () => {
  await session?.close();
  store?.close();
  session = store = undefined;
});

/** What staff read on the page (closed "詳細" disclosures are not rendered, so not read). */
// biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point: textContent would include closed disclosures
const visibleText = (page: Page) => page.evaluate(() => document.body.innerText);

describe('history and audit', () => {
  it('reads the audit log as sentences, groups the exports in a menu with local file names, and keeps the check current', async () => {
    const dataDir = tempDir();
    store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
    const db = store.db;
    const { batchId } = importFile(db, {
      fileName: '発注一覧.csv',
      bytes: textBytes(sampleOrderRows({ orders: 30, withErrors: true }), 'utf-8'),
      actor: 'sato',
    });
    const order = db.prepare('SELECT order_ref AS ref FROM orders WHERE batch_id = ? ORDER BY id LIMIT 1').get(batchId) as { ref: string };
    editOrderField(db, { batchId, orderRef: order.ref, field: 'notes', value: '午前着', actor: 'yamada' });
    // Written by a newer app, or by a part of this one the history screen has no words for yet.
    appendAudit(db, { actor: 'sato', action: 'future.thing_done', details: { some_key: 1, other_sha256: 'ab'.repeat(32) } });
    appendAudit(db, { actor: 'sato', action: 'access', batchId, details: { what: 'grid', orders: 30 } });
    const saves: string[] = [];
    const ctx = createAppContext({
      version: '0.1.0',
      dataDir,
      store,
      actor: 'sato',
      dialogs: {
        openSpreadsheet: async () => null,
        saveFile: async (name) => {
          saves.push(name);
          return null;
        },
        openBackup: async () => null,
      },
    });
    session = await openApp(ctx);
    const { page } = session;
    const nav = (name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });
    await nav('履歴・監査').click();
    const sentences = page.getByTestId('audit-sentence');
    await sentences.first().waitFor();

    // Sentences: no hash, no snake_case key, no raw action; the unknown action reads as "another operation".
    const texts = await sentences.allTextContents();
    expect(texts).toEqual(
      expect.arrayContaining([
        `${order.ref}の備考を修正しました（yamada）`,
        'バッチ1の注文を表示しました（30件）（sato）',
        'その他の操作（sato）',
        expect.stringMatching(/^バッチ1を取り込みました（注文30件、有効\d+件、エラー\d+件）（sato）$/),
      ]),
    );
    const shown = await visibleText(page);
    expect(shown).not.toMatch(/_sha256|[a-z]+_[a-z]+|future\.thing|order\.edited/);
    // The details are one click away, in words.
    const imported = page.locator('tr[data-action="batch.imported"]');
    await imported.getByText('詳細').click();
    expect(await imported.locator('dl').textContent()).toContain('ファイルのハッシュ（SHA-256）');

    // The exports: one menu button per batch, keyboard operable.
    const menuButton = page.getByRole('button', { name: '発注一覧.csvの書き出し' });
    expect(await menuButton.getAttribute('aria-haspopup')).toBe('menu');
    await menuButton.focus();
    await page.keyboard.press('ArrowDown');
    const menu = page.getByRole('menu');
    await menu.waitFor();
    expect(await menuButton.getAttribute('aria-expanded')).toBe('true');
    const items = menu.getByRole('menuitem');
    expect(await items.allTextContents()).toEqual([
      'エラー一覧（CSV）',
      'エラー一覧（CSV・Shift_JIS）',
      'エラー一覧（Excel）',
      '連携結果（CSV）',
    ]);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('エラー一覧（CSV）');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('連携結果（CSV）');
    await expectAxeClean(page, 'history with the export menu open');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-haspopup'))).toBe('menu');
    // Choosing an item: the save dialog proposes a Japanese name with today's local date.
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'エラー一覧（Excel）' }).click();
    const now = new Date();
    const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
    await expect.poll(() => saves).toEqual([`エラー_バッチ1_${today}.xlsx`]);

    // The check: current when shown, and again after new entries arrive (a sync or an import elsewhere).
    await page.getByRole('button', { name: '改ざんチェック' }).click();
    const verdict = page.getByTestId('audit-verification');
    // "（4件を確認）" (the message may still carry a space before 件: that is the Japanese wording pass's to fix).
    const checked = (n: number) => new RegExp(`（${n} ?件を確認）`);
    const entries = () => db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number };
    await expect.poll(() => verdict.textContent()).toMatch(checked(entries().n));
    appendAudit(db, { actor: 'sato', action: 'batch.marked_ready', batchId });
    await session.emit('batchesChanged', { batchIds: [batchId] });
    await expect.poll(() => verdict.textContent()).toMatch(checked(entries().n));
    await expect.poll(() => sentences.first().textContent()).toBe('バッチ1をスケジュール連携の対象にしました（sato）');
    // Away and back: the list and the check speak of the log as it is now.
    await nav('バッチ一覧').click();
    appendAudit(db, { actor: 'sato', action: 'batch.unmarked_ready', batchId });
    await nav('履歴・監査').click();
    await expect.poll(() => verdict.textContent()).toMatch(checked(entries().n));

    // No page-level scroll at both sizes, in Japanese and English; English file names in English.
    for (const locale of ['ja', 'en'] as const) {
      await page.locator('.topbar select').selectOption(locale);
      for (const size of SIZES) {
        await page.setViewportSize(size);
        const where = `history ${locale} ${size.width}x${size.height}`;
        await expect.poll(() => pageOverflow(page), { message: where }).toEqual({ x: 0, y: 0 });
        // Nor is a batch's button cut off at the right of its table (the four stacked export buttons were).
        const batchesWide = await page
          .locator('.table-wrap')
          .first()
          .evaluate((region) => region.scrollWidth - region.clientWidth);
        expect(batchesWide, where).toBe(0);
        await session.screenshot(`history-${locale}-${size.width}x${size.height}`);
      }
    }
    expect(await visibleText(page)).not.toMatch(/_sha256|[a-z]+_[a-z]+/);
    await page.getByRole('button', { name: 'Export 発注一覧.csv' }).click();
    await page.getByRole('menuitem', { name: 'Sync results (CSV)' }).click();
    await expect.poll(() => saves.at(-1)).toBe(`batch-1-success-${today}.csv`);
    await expectAxeClean(page, 'history in English');
    expect(session.problems).toEqual([]);
  }, 120_000);
});
