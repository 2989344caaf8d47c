import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { openStore, type Store } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { writeSetting } from '../../main/store/settings';
import { tempDirsPerTest } from '../helpers/tmp';
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

describe('settings: purge and restore ask first, in Chromium over the real handlers', () => {
  it.each(['ja', 'en'] as const)('going back (button or Esc) does nothing; confirming acts (%s)', async (locale) => {
    const dataDir = tempDir();
    const key = generateKey();
    store = openStore({ path: join(dataDir, 'store.db'), key });
    writeSetting(store.db, 'retentionDays', 90);
    let backupDialogs = 0;
    const ctx = createAppContext({
      version: '0.1.0',
      dataDir,
      store,
      actor: 'sato',
      key,
      // The OS dialog answers "cancelled" (null), so the restart is never reached.
      restoreAndRestart: () => undefined,
      dialogs: {
        openSpreadsheet: async () => null,
        saveFile: async () => null,
        openBackup: async () => {
          backupDialogs += 1;
          return null;
        },
      },
    });
    session = await openApp(ctx);
    const { page } = session;
    const en = locale === 'en';
    // Staff switch the language from the header.
    if (en) await page.getByLabel('表示言語').selectOption('en');
    const purges = () => ctx.store.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'retention.purged'").pluck().get();
    await page.getByRole('button', { name: en ? 'Settings' : '設定', exact: true }).click();

    const purge = page.getByRole('button', { name: en ? 'Purge expired personal data now' : '期限切れの個人情報を今すぐ削除' });
    await purge.click();
    const purgeDialog = page.getByRole('dialog', { name: en ? 'Delete expired personal data?' : '期限切れの個人情報を削除しますか？' });
    await purgeDialog.waitFor();
    expect(await purgeDialog.textContent()).toContain(en ? '(90 days)' : '（90日）');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(en ? 'Go back' : 'やめる');
    // Tab stays inside the dialog both ways.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(en ? 'Delete' : '削除する');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(en ? 'Go back' : 'やめる');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(en ? 'Delete' : '削除する');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await session.screenshot(`settings-confirm-purge-${locale}`);
    await purgeDialog.getByRole('button', { name: en ? 'Go back' : 'やめる' }).click();
    await purgeDialog.waitFor({ state: 'detached' });
    expect(purges()).toBe(0);
    await purge.click();
    await page.keyboard.press('Escape');
    await purgeDialog.waitFor({ state: 'detached' });
    expect(purges()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(await purge.textContent());
    await purge.click();
    await purgeDialog.getByRole('button', { name: en ? 'Delete' : '削除する' }).click();
    await expect.poll(purges).toBe(1);

    const restore = page.getByRole('button', { name: en ? 'Restore from a backup…' : 'バックアップから復元…' });
    await restore.click();
    const restoreDialog = page.getByRole('dialog', { name: en ? 'Restore from a backup?' : 'バックアップから復元しますか？' });
    await restoreDialog.waitFor();
    await session.screenshot(`settings-confirm-restore-${locale}`);
    await restoreDialog.getByRole('button', { name: en ? 'Go back' : 'やめる' }).click();
    await restoreDialog.waitFor({ state: 'detached' });
    expect(backupDialogs).toBe(0);
    await restore.click();
    await restoreDialog.getByRole('button', { name: en ? 'Choose a file and restore' : 'ファイルを選んで復元' }).click();
    await expect.poll(() => backupDialogs).toBe(1);
    expect(session.problems).toEqual([]);
  });
});
