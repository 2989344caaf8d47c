/** The parts of a BrowserWindow the shell's lifecycle uses (a fake in tests). */
export interface ShellWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  webContents: { isLoading(): boolean; once(event: 'did-finish-load', listener: () => void): unknown };
}

/**
 * Holds the main window, which may be closed and made again: the tray's "open", a file opened with the app,
 * a second launch and macOS `activate` all call `show()`, which recreates a closed (destroyed) window
 * instead of touching it, and restores a minimised or hidden one.
 */
export class MainWindowHolder<W extends ShellWindow> {
  private current: W | null = null;

  constructor(private readonly create: () => W) {}

  /** The live window, or null when there is none (never a destroyed one). */
  get(): W | null {
    return this.current && !this.current.isDestroyed() ? this.current : null;
  }

  /** Brings the window up, making a new one (which shows itself when ready) if it was closed. */
  show(): W {
    const live = this.get();
    if (!live) {
      this.current = this.create();
      return this.current;
    }
    if (live.isMinimized()) live.restore();
    live.show();
    live.focus();
    return live;
  }

  /** Runs `fn` once the window's page has loaded (at once if it has), so events sent then reach the renderer. */
  whenLoaded(window: W, fn: () => void): void {
    if (window.webContents.isLoading()) window.webContents.once('did-finish-load', fn);
    else fn();
  }
}

/**
 * What closing the main window does. With a schedule on, the window hides (not destroyed: the renderer keeps
 * its state) and the app stays in the tray / menu bar for the scheduled runs; when the app is quitting, or
 * there is no schedule, it closes.
 */
export function closeAction(options: { keepInTray: boolean; quitting: boolean }): 'hide' | 'close' {
  return options.keepInTray && !options.quitting ? 'hide' : 'close';
}

/** Whether the app quits once its last window closed: not on macOS (the app stays in the dock), not with a schedule. */
export function quitWhenAllClosed(platform: NodeJS.Platform, keepInTray: boolean): boolean {
  return platform !== 'darwin' && !keepInTray;
}

/**
 * Whether to reload the window after its renderer process went away: yes for a crash, an OOM or a kill, but
 * not for a clean exit, and not a fourth time within a minute (a page that crashes as it loads would loop).
 */
export class CrashReloads {
  private times: number[] = [];

  constructor(
    private readonly limit = 3,
    private readonly windowMs = 60_000,
  ) {}

  shouldReload(reason: string, now: number): boolean {
    if (reason === 'clean-exit') return false;
    this.times = this.times.filter((t) => now - t < this.windowMs);
    if (this.times.length >= this.limit) return false;
    this.times.push(now);
    return true;
  }
}

/** Quitting while a sync sends asks first (once); the shell then stops the run cleanly before it quits. */
export function quitNeedsConfirmation(options: { syncRunning: boolean; confirmed: boolean }): boolean {
  return options.syncRunning && !options.confirmed;
}
