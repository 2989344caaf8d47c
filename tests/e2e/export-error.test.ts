import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { SAMPLE_HEADERS, sampleLine, textBytes } from '../../scripts/fixtures/sample-sheets';
import { importFile } from '../../main/import/stage';
import { createHandlers } from '../../main/handlers';
import { openStore } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { tempDirsPerTest } from '../helpers/tmp';
import { openRenderer } from './harness';

const tempDir = tempDirsPerTest();

describe('History screen export', () => {
  it('shows the translated EXPORT_UNREPRESENTABLE with its rows when Shift_JIS cannot hold a character, without a save dialog', async () => {
    const dataDir = tempDir();
    const store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
    const rows = [
      SAMPLE_HEADERS,
      sampleLine('000601', { メール: 'broken' }),
      sampleLine('000602', { メール: 'broken', 得意先名: '𠮷田商店' }),
    ];
    importFile(store.db, { fileName: 'sjis.csv', bytes: textBytes(rows, 'utf-8'), actor: 'sato' });
    const saves: string[] = [];
    const ctx = createAppContext({
      version: '0.1.0',
      dataDir,
      store,
      actor: 'sato',
      dialogs: {
        openSpreadsheet: async () => null,
        openBackup: async () => null,
        saveFile: async (name) => {
          saves.push(name);
          return null;
        },
      },
    });
    const session = await openRenderer(createHandlers(ctx));
    try {
      await exportTwice(session.page, saves);
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
      store.close();
    }
  });
});

/** The Shift_JIS export is refused with the translated error and no dialog; the UTF-8 export opens the dialog. */
async function exportTwice(page: Page, saves: string[]): Promise<void> {
  await page.getByRole('button', { name: '履歴・監査' }).click();
  await page.getByRole('button', { name: 'sjis.csvの書き出し' }).click();
  await page.getByRole('menuitem', { name: 'エラー一覧（CSV・Shift_JIS）' }).click();
  const alert = page.getByRole('alert');
  await alert.filter({ hasText: 'Shift_JIS' }).waitFor();
  expect(await alert.textContent()).toBe(
    'Shift_JISで表せない文字があるため、書き出しませんでした（元の行番号：3、計1行）。その文字を直すか、UTF-8（BOM付き）で書き出してください。',
  );
  expect(saves).toEqual([]);
  // UTF-8 with BOM holds the character: the save dialog opens (and is cancelled here).
  await page.getByRole('button', { name: 'sjis.csvの書き出し' }).click();
  await page.getByRole('menuitem', { name: 'エラー一覧（CSV）', exact: true }).click();
  await expect.poll(() => saves.length).toBe(1);
  expect(await page.getByRole('alert').count()).toBe(0);
}
