/** Electron's menu roles the app uses (a subset of Electron's `role` union, so the template type-checks there). */
export type MenuRole =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'close'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'minimize'
  | 'zoom'
  | 'front';

/** One menu entry: structurally an Electron.MenuItemConstructorOptions, built without importing electron. */
export interface MenuEntry {
  id?: string;
  label?: string;
  role?: MenuRole;
  type?: 'separator';
  submenu?: MenuEntry[];
  click?: () => void;
}

export interface MenuActions {
  about(): void;
  saveDiagnostics(): void;
  /** Help > Staff guide: the guide in the app's language, at its start. */
  openGuide(): void;
}

type Translate = (key: string, params?: Record<string, string>) => string;

const separator: MenuEntry = { type: 'separator' };

/**
 * The application menu in the app's language (the saved setting, not the OS's: Electron's role labels are
 * English on Windows and Linux, so every item carries its translated label). Reload and the developer tools
 * exist only in development builds (`app.isPackaged` false).
 */
export function menuTemplate(options: {
  t: Translate;
  platform: NodeJS.Platform;
  packaged: boolean;
  appName: string;
  actions: MenuActions;
}): MenuEntry[] {
  const { t, platform, packaged, appName, actions } = options;
  const mac = platform === 'darwin';
  const role = (r: MenuRole, key: string, params?: Record<string, string>): MenuEntry => ({ role: r, label: t(`menu.${key}`, params) });
  const about: MenuEntry = { id: 'about', label: t('menu.about', { app: appName }), click: actions.about };
  const diagnostics: MenuEntry = { id: 'saveDiagnostics', label: t('menu.saveDiagnostics'), click: actions.saveDiagnostics };
  const guide: MenuEntry = { id: 'guide', label: t('menu.guide'), click: actions.openGuide };
  return [
    ...(mac
      ? [
          {
            label: appName,
            submenu: [
              about,
              separator,
              role('services', 'services'),
              separator,
              role('hide', 'hide', { app: appName }),
              role('hideOthers', 'hideOthers'),
              role('unhide', 'unhide'),
              separator,
              role('quit', 'quit', { app: appName }),
            ],
          },
        ]
      : []),
    { label: t('menu.file'), submenu: [mac ? role('close', 'close') : role('quit', 'quit', { app: appName })] },
    {
      label: t('menu.edit'),
      submenu: [
        role('undo', 'undo'),
        role('redo', 'redo'),
        separator,
        role('cut', 'cut'),
        role('copy', 'copy'),
        role('paste', 'paste'),
        role('selectAll', 'selectAll'),
      ],
    },
    {
      label: t('menu.view'),
      submenu: [
        ...(packaged ? [] : [role('reload', 'reload'), role('forceReload', 'forceReload'), role('toggleDevTools', 'devTools'), separator]),
        role('resetZoom', 'resetZoom'),
        role('zoomIn', 'zoomIn'),
        role('zoomOut', 'zoomOut'),
        separator,
        role('togglefullscreen', 'fullscreen'),
      ],
    },
    {
      label: t('menu.window'),
      submenu: mac
        ? [role('minimize', 'minimize'), role('zoom', 'zoom'), separator, role('front', 'front')]
        : [role('minimize', 'minimize'), role('close', 'close')],
    },
    { label: t('menu.help'), submenu: mac ? [guide, separator, diagnostics] : [guide, separator, diagnostics, separator, about] },
  ];
}
