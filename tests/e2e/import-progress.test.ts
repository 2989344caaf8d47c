import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { openStore } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { sampleOrderRows, textBytes } from '../../scripts/fixtures/sample-sheets';
import { countRows } from '../helpers/import';
import { tempDirsPerTest } from '../helpers/tmp';
import { openApp } from './harness';

const tempDir = tempDirsPerTest();
const opened: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of opened.splice(0).reverse()) await close();
});

describe('a 100,000-line import in the window', () => {
  it('shows the percentage and lines as it goes, and a cancel leaves nothing behind', async () => {
    const path = join(tempDir(), 'lines-100k.csv');
    writeFileSync(path, textBytes(sampleOrderRows({ orders: 50_000, maxLines: 3, withErrors: true, prefix: 'BIG' }), 'utf-8'));
    const dataDir = tempDir();
    const key = generateKey();
    const store = openStore({ path: join(dataDir, 'store.db'), key });
    opened.push(() => store.close());
    const dialogs = { openSpreadsheet: async () => path, saveFile: async () => null, openBackup: async () => null };
    const session = await openApp(createAppContext({ version: '0.1.0', dataDir, store, actor: 'sato', key, dialogs }));
    opened.push(() => session.close());
    const { page } = session;
    await page.getByRole('navigation').getByRole('button', { name: '取り込み', exact: true }).click();
    await page.getByRole('button', { name: 'ファイルを選択…' }).click();
    await page.getByRole('button', { name: '取り込む' }).waitFor();
    const tables = ['batches', 'orders', 'order_lines'];
    const before = tables.map((table) => countRows(store.db, table));

    await page.getByRole('button', { name: '取り込む' }).click();
    const text = page.getByTestId('import-progress-text');
    // The percentage with the lines, in Japanese with separators: "99,999行中12,345行を読み込みました（12%）".
    // Polled often: on a busy machine the lines are staged in a few seconds, and the cancel must come before the end.
    await expect
      .poll(() => text.textContent(), { timeout: 60_000, interval: 20 })
      .toMatch(/^99,999行中[1-9][\d,]*行を読み込みました（\d+%）$/);
    const shown = await text.textContent();
    await page.getByRole('button', { name: '取り込みを中止' }).click();
    const percent = Number(/（(\d+)%）/.exec(shown ?? '')?.[1]);
    expect(percent).toBeGreaterThanOrEqual(0);
    expect(percent).toBeLessThan(100);
    await page.getByText('取り込みを中止しました。このファイルからは何も取り込んでいません。').waitFor({ timeout: 60_000 });
    await session.screenshot('import-cancelled-ja');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    expect(await page.getByTestId('import-progress').count()).toBe(0);
    expect(tables.map((table) => countRows(store.db, table))).toEqual(before);
    const last = store.db.prepare('SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1').get();
    expect(last).toEqual({ action: 'batch.import_cancelled' });
    // The wizard is still on the file: staff can import it after all.
    await page.getByRole('button', { name: '取り込む' }).waitFor();
    expect(session.problems).toEqual([]);
  }, 180_000);
});
