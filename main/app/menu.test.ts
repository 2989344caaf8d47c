import { describe, expect, it, vi } from 'vitest';
import { createI18n } from '../shared/i18n';
import { type MenuEntry, menuTemplate } from './menu';

function flat(entries: MenuEntry[]): MenuEntry[] {
  return entries.flatMap((entry) => [entry, ...flat(entry.submenu ?? [])]);
}

function build(locale: 'ja' | 'en', platform: NodeJS.Platform, packaged: boolean) {
  const actions = { about: vi.fn(), saveDiagnostics: vi.fn(), openGuide: vi.fn() };
  const t = createI18n(locale).t;
  return {
    actions,
    template: menuTemplate({ t: (key, params) => t(key, params ?? {}), platform, packaged, appName: 'Order Stager', actions }),
  };
}

describe('application menu', () => {
  it('has File, Edit, View, Window and Help in the app language, every item labelled (no OS-language role labels)', () => {
    const ja = build('ja', 'win32', true).template;
    expect(ja.map((e) => e.label)).toEqual(['ファイル', '編集', '表示', 'ウィンドウ', 'ヘルプ']);
    const en = build('en', 'linux', true).template;
    expect(en.map((e) => e.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    for (const entry of flat(ja)) if (entry.type !== 'separator') expect(entry.label, JSON.stringify(entry)).toMatch(/\S/);
    expect(flat(ja).find((e) => e.role === 'copy')?.label).toBe('コピー');
    expect(flat(ja).find((e) => e.role === 'quit')?.label).toBe('Order Stagerを終了');
    // No key shown raw.
    for (const entry of [...flat(ja), ...flat(en)]) expect(entry.label ?? '').not.toMatch(/^menu\./);
  });

  it('has no Reload or Developer Tools in a packaged build, and has them in development', () => {
    const roles = (packaged: boolean) => flat(build('en', 'win32', packaged).template).map((e) => e.role);
    for (const role of ['reload', 'forceReload', 'toggleDevTools'] as const) {
      expect(roles(true)).not.toContain(role);
      expect(roles(false)).toContain(role);
    }
  });

  it('offers Help > Staff guide, Save diagnostics… and About (in the app menu on macOS), each calling its action', () => {
    const win = build('ja', 'win32', true);
    const help = win.template.at(-1);
    expect(help?.submenu?.map((e) => e.label ?? e.type)).toEqual([
      '操作ガイド',
      'separator',
      '診断情報を保存…',
      'separator',
      'Order Stagerについて',
    ]);
    help?.submenu?.[0]?.click?.();
    help?.submenu?.[2]?.click?.();
    help?.submenu?.[4]?.click?.();
    expect(win.actions.openGuide).toHaveBeenCalledOnce();
    expect(win.actions.saveDiagnostics).toHaveBeenCalledOnce();
    expect(win.actions.about).toHaveBeenCalledOnce();
    const mac = build('en', 'darwin', true).template;
    expect(mac[0]?.label).toBe('Order Stager');
    expect(mac[0]?.submenu?.[0]?.label).toBe('About Order Stager');
    expect(mac.at(-1)?.submenu?.map((e) => e.label ?? e.type)).toEqual(['Staff guide', 'separator', 'Save diagnostics…']);
  });
});
