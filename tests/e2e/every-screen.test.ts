import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { importFile } from '../../main/import/stage';
import { createI18n } from '../../main/shared/i18n';
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

/** How far the shell's and the screen region's content reach past their right edge (0: it fits). */
const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => {
    const over = (selector: string) => {
      const element = document.querySelector(selector);
      return element ? Math.max(0, element.scrollWidth - element.clientWidth) : 0;
    };
    return { shell: over('.shell'), content: over('.content') };
  });

/** Every screen of the main menu, in the order staff meet them. */
const SCREENS = ['batches', 'import', 'review', 'sync', 'history', 'masters', 'settings'] as const;

describe('every screen', () => {
  it('fits the window sideways at 1280x800 and 1093x614, in Japanese and English, and axe finds nothing serious', async () => {
    const dataDir = tempDir();
    store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
    importFile(store.db, {
      fileName: '12月分_株式会社サンプル商事_発注一覧.csv',
      bytes: textBytes(sampleOrderRows({ orders: 40, withErrors: true }), 'utf-8'),
      actor: 'sato',
    });
    const ctx = createAppContext({ version: '0.1.0', dataDir, store, actor: 'sato' });
    session = await openApp(ctx);
    const { page } = session;
    for (const locale of ['ja', 'en'] as const) {
      const { t } = createI18n(locale);
      await page.locator('.topbar select').selectOption(locale);
      for (const size of SIZES) {
        await page.setViewportSize(size);
        for (const screen of SCREENS) {
          const where = `${screen} ${locale} ${size.width}x${size.height}`;
          await page
            .getByRole('navigation')
            .getByRole('button', { name: t(`nav.${screen}`), exact: true })
            .click();
          await page.getByRole('heading', { level: 1 }).first().waitFor();
          await expect.poll(async () => (await pageOverflow(page)).x, { message: where }).toBeLessThanOrEqual(0);
          // The window never scrolls (.shell clips): what would have scrolled the page sideways now scrolls the
          // screen's own region, .content, or is cut off at the shell's edge. Neither may happen.
          await expect.poll(() => sidewaysOverflow(page), { message: where }).toEqual({ shell: 0, content: 0 });
          if (size.width === 1280) await expectAxeClean(page, where);
        }
      }
    }
    expect(session.problems).toEqual([]);
  }, 240_000);
});
