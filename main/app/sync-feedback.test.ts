import { describe, expect, it } from 'vitest';
import { failedProgress, NO_PROGRESS, taskbarProgress, WakeLock } from './sync-feedback';

const at = (state: 'running' | 'paused' | 'cancelling' | 'finished' | 'cancelled' | 'failed', done: number, total = 200) => ({
  state,
  total,
  done,
  failed: 10,
  needsReview: 0,
});

describe('taskbar progress', () => {
  it('shows the share of settled orders while running, paused and failed in their modes, nothing when done', () => {
    expect(taskbarProgress(at('running', 90))).toEqual({ value: 0.5, mode: 'normal' });
    expect(taskbarProgress(at('cancelling', 90))).toEqual({ value: 0.5, mode: 'normal' });
    expect(taskbarProgress(at('paused', 40))).toEqual({ value: 0.25, mode: 'paused' });
    expect(taskbarProgress(at('failed', 0, 0))).toEqual({ value: 0.01, mode: 'error' });
    expect(taskbarProgress(at('finished', 190))).toEqual(NO_PROGRESS);
    expect(taskbarProgress(at('cancelled', 20))).toEqual(NO_PROGRESS);
    expect(taskbarProgress(null)).toEqual(NO_PROGRESS);
    expect(taskbarProgress(at('running', 0, 0))).toEqual({ value: 2, mode: 'indeterminate' });
    expect(failedProgress(at('running', 90))).toEqual({ value: 0.5, mode: 'error' });
    expect(failedProgress(null).mode).toBe('error');
  });
});

describe('WakeLock', () => {
  it('holds one power-save blocker while a run sends, and lets go when it pauses or ends', () => {
    const calls: string[] = [];
    let next = 7;
    const lock = new WakeLock({
      start: () => {
        calls.push('start');
        return next++;
      },
      stop: (id) => void calls.push(`stop ${id}`),
    });
    lock.update('running');
    lock.update('running');
    expect(lock.held).toBe(true);
    lock.update('paused');
    expect(lock.held).toBe(false);
    lock.update('running');
    lock.update('cancelling');
    lock.update('cancelled');
    lock.update(null);
    expect(calls).toEqual(['start', 'stop 7', 'start', 'stop 8']);
  });
});
