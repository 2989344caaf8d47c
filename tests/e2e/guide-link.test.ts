import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { openStore, type Store } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { tempDirsPerTest } from '../helpers/tmp';
import { openApp, type RendererSession } from './harness';

const tempDir = tempDirsPerTest();
let session: RendererSession | undefined;
let store: Store | undefined;
afterEach(async () => {
  await session?.close();
  store?.close();
  session = store = undefined;
});

describe("an error message's 詳しく link", () => {
  it('opens the staff guide at the error code, in the app language, and leaves the alert saying the message only', async () => {
    const dir = tempDir();
    const pdf = join(dir, '注文書.pdf');
    writeFileSync(pdf, '%PDF-1.4\n');
    const dataDir = tempDir();
    store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
    const ctx = createAppContext({
      version: '0.1.0',
      dataDir,
      store,
      actor: 'sato',
      dialogs: { openSpreadsheet: async () => pdf, saveFile: async () => null, openBackup: async () => null },
    });
    const opened: [string, string | null][] = [];
    ctx.openGuide = (locale, section) => opened.push([locale, section]);
    session = await openApp(ctx);
    const { page } = session;
    await page.getByRole('navigation').getByRole('button', { name: '取り込み', exact: true }).click();
    await page.getByRole('button', { name: 'ファイルを選択…' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      '「注文書.pdf」は取り込める表ファイルではありません（対応形式：.xlsx .xlsm .xls .csv .tsv .txt）。',
    );
    const link = page.getByRole('button', { name: '操作ガイドで詳しく見る' });
    expect(await link.textContent()).toBe('詳しく');
    const serious = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => v.id)).toEqual([]);
    await link.click();
    await expect.poll(() => opened).toEqual([['ja', 'IMPORT_UNSUPPORTED_FILE']]);
    expect(session.problems).toEqual([]);
  });
});
