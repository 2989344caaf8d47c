import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { insertBatch } from '../../main/store/batches';
import { openStore, type Store } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { tempDirsPerTest } from '../helpers/tmp';
import type { Page } from 'playwright-core';
import { openApp, type RendererSession } from './harness';

const tempDir = tempDirsPerTest();
let session: RendererSession | undefined;
let store: Store | undefined;
afterEach(async () => {
  await session?.close();
  store?.close();
  session = undefined;
  store = undefined;
});

/** A batch whose `failed` orders failed at the backend, one line each (refused with `code`). */
function seedFailed(s: Store, failed: number, code = 'CUSTOMER_BLOCKED'): void {
  const batchId = insertBatch(s.db, {
    sourceFileName: '失敗分.xlsx',
    sourceSha256: 'd'.repeat(64),
    sheetName: null,
    encoding: null,
    headerRow: 1,
    columnMapping: {},
    importedBy: 'sato',
    importedAt: '2026-11-20T01:30:00.000Z',
  });
  const order = s.db.prepare(
    `INSERT INTO orders (batch_id, order_ref, client_reference, total_amount, validation_status, created_at, updated_at)
     VALUES (?, ?, ?, 1000, 'valid', datetime('now'), datetime('now'))`,
  );
  const line = s.db.prepare('INSERT INTO order_lines (order_id, line_no, source_row) VALUES (?, 1, ?)');
  const state = s.db.prepare(
    `INSERT INTO sync_state (order_id, state, idempotency_key, failed_step, error_class, error_code, attempts, updated_at)
     VALUES (?, 'failed', ?, 'order', 'rejected', ?, 1, datetime('now'))`,
  );
  s.db.transaction(() => {
    for (let i = 1; i <= failed; i += 1) {
      const ref = `F-${String(i).padStart(4, '0')}`;
      const id = Number(order.run(batchId, ref, `c-${ref}`).lastInsertRowid);
      line.run(id, i + 1);
      state.run(id, `k-${ref}`, code);
    }
  })();
}

describe('sync screen problem list', () => {
  it('says how many failed orders it shows out of how many, and shows the rest on request', async () => {
    const dataDir = tempDir();
    store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
    seedFailed(store, 1_205);
    const ctx = createAppContext({ version: '0.1.0', dataDir, store, actor: 'sato' });
    session = await openApp(ctx);
    const { page } = session;
    await page.getByRole('button', { name: '連携', exact: true }).click();
    const problems = page.getByTestId('sync-problems');
    const partial = page.getByTestId('sync-problems-partial');
    await partial.filter({ hasText: '1,205件中200件を表示しています。' }).waitFor();
    expect(await problems.locator('tbody tr').count()).toBe(200);
    await partial.getByRole('button', { name: 'さらに表示' }).click();
    await partial.filter({ hasText: '1,205件中400件を表示しています。' }).waitFor();
    expect(await problems.locator('tbody tr').count()).toBe(400);
    expect(await problems.locator('tbody tr').nth(399).locator('th').textContent()).toBe('F-0400');
    expect(session.problems).toEqual([]);
  });
});

/** How far the page, and the content area that scrolls inside it, reach past the window's width. */
function sidewaysOverflow(page: Page) {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    const content = document.querySelector('.content');
    return {
      page: root.scrollWidth - window.innerWidth,
      content: content ? content.scrollWidth - content.clientWidth : 0,
    };
  });
}

describe('sync screen failure list layout', () => {
  it('wraps long reasons and keeps the retry button in line: no sideways scroll at 1280x800 and 1093x614, ja and en', async () => {
    const dataDir = tempDir();
    store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
    // A backend code with no place to break, as long as some backends send.
    seedFailed(store, 12, `PAYMENT_PROVIDER_REJECTED_${'ACCOUNT_UNDER_REVIEW_'.repeat(12)}END`);
    const ctx = createAppContext({ version: '0.1.0', dataDir, store, actor: 'sato' });
    session = await openApp(ctx);
    const { page } = session;
    for (const locale of ['ja', 'en'] as const) {
      await page.locator('.topbar select').selectOption(locale);
      await page.getByRole('button', { name: locale === 'ja' ? '連携' : 'Sync', exact: true }).click();
      await page.getByTestId('sync-problems').locator('tbody tr').nth(11).waitFor();
      for (const size of [
        { width: 1280, height: 800 },
        { width: 1093, height: 614 },
      ]) {
        await page.setViewportSize(size);
        const tag = `${locale} ${size.width}x${size.height}`;
        await expect.poll(() => sidewaysOverflow(page), { message: tag }).toEqual({ page: 0, content: 0 });
        const retry = await page
          .getByRole('button', { name: locale === 'ja' ? '失敗した注文を再試行' : 'Retry failed orders' })
          .boundingBox();
        // The button is as wide as its label, not the panel.
        expect(retry?.width ?? 0, tag).toBeLessThan(size.width / 3);
        await session.screenshot(`sync-problems-long-${locale}-${size.width}x${size.height}`);
      }
    }
    expect(session.problems).toEqual([]);
  });
});
