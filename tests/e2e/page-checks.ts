import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Neither the page nor the window scrolls: only the regions inside it do. */
export async function pageOverflow(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return { x: root.scrollWidth - window.innerWidth, y: root.scrollHeight - window.innerHeight };
  });
}

/** axe finds nothing serious or critical on the page as it is now. */
export async function expectAxeClean(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
  expect(serious, `axe on ${what}`).toEqual([]);
}

/** The two window sizes every screen is checked at. */
export const SIZES = [
  { width: 1280, height: 800 },
  { width: 1093, height: 614 },
] as const;
