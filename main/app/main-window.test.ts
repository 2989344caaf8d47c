import { describe, expect, it } from 'vitest';
import { CrashReloads, closeAction, MainWindowHolder, quitNeedsConfirmation, quitWhenAllClosed, type ShellWindow } from './main-window';

class FakeWindow implements ShellWindow {
  destroyed = false;
  minimized = false;
  loading = true;
  calls: string[] = [];
  private loaded: (() => void)[] = [];
  webContents = {
    isLoading: () => this.loading,
    once: (_event: 'did-finish-load', listener: () => void) => this.loaded.push(listener),
  };
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    if (this.destroyed) throw new TypeError('Object has been destroyed');
    return this.minimized;
  }
  restore() {
    this.calls.push('restore');
  }
  show() {
    this.calls.push('show');
  }
  focus() {
    this.calls.push('focus');
  }
  finishLoad() {
    this.loading = false;
    for (const fn of this.loaded.splice(0)) fn();
  }
}

describe('MainWindowHolder', () => {
  it('makes a new window when the last one was closed (destroyed), never touching the destroyed one', () => {
    const made: FakeWindow[] = [];
    const holder = new MainWindowHolder(() => {
      const w = new FakeWindow();
      made.push(w);
      return w;
    });
    expect(holder.get()).toBeNull();
    const first = holder.show();
    expect(made).toHaveLength(1);
    first.destroyed = true;
    expect(holder.get()).toBeNull();
    const second = holder.show();
    expect(made).toHaveLength(2);
    expect(second).not.toBe(first);
    expect(first.calls).toEqual([]);
  });

  it('restores a minimised window and brings a hidden one forward', () => {
    const w = new FakeWindow();
    const holder = new MainWindowHolder(() => w);
    holder.show();
    w.minimized = true;
    holder.show();
    expect(w.calls).toEqual(['restore', 'show', 'focus']);
  });

  it('sends opened files once the page has loaded, at once when it already has', () => {
    const w = new FakeWindow();
    const holder = new MainWindowHolder(() => w);
    const sent: string[] = [];
    holder.whenLoaded(holder.show(), () => sent.push('a.csv'));
    expect(sent).toEqual([]);
    w.finishLoad();
    expect(sent).toEqual(['a.csv']);
    holder.whenLoaded(holder.show(), () => sent.push('b.csv'));
    expect(sent).toEqual(['a.csv', 'b.csv']);
  });
});

describe('closing and quitting', () => {
  it('hides to the tray while a schedule is on, and closes when quitting or without one', () => {
    expect(closeAction({ keepInTray: true, quitting: false })).toBe('hide');
    expect(closeAction({ keepInTray: true, quitting: true })).toBe('close');
    expect(closeAction({ keepInTray: false, quitting: false })).toBe('close');
  });

  it('quits with the last window except on macOS or with a schedule', () => {
    expect(quitWhenAllClosed('win32', false)).toBe(true);
    expect(quitWhenAllClosed('linux', true)).toBe(false);
    expect(quitWhenAllClosed('darwin', false)).toBe(false);
  });
});

describe('after a renderer crash', () => {
  it('reloads, but not after a clean exit and not more than three times a minute', () => {
    const reloads = new CrashReloads();
    expect(reloads.shouldReload('clean-exit', 0)).toBe(false);
    expect([1, 2, 3, 4].map((s) => reloads.shouldReload('crashed', s * 1000))).toEqual([true, true, true, false]);
    expect(reloads.shouldReload('oom', 62_000)).toBe(true);
  });

  it('asks before quitting only while a sync runs, and only once', () => {
    expect(quitNeedsConfirmation({ syncRunning: true, confirmed: false })).toBe(true);
    expect(quitNeedsConfirmation({ syncRunning: true, confirmed: true })).toBe(false);
    expect(quitNeedsConfirmation({ syncRunning: false, confirmed: false })).toBe(false);
  });
});
