import type { SyncProgress } from '@shared/contract';
import { describe, expect, it, vi } from 'vitest';
import { createI18n } from '../../../../main/shared/i18n';
import { nextEta } from '../../state/sync';
import { formatDuration, formatEta } from './eta';

// The end time is a local clock time: the test reads it in Tokyo.
vi.stubEnv('TZ', 'Asia/Tokyo');

const ja = createI18n('ja').t;
const en = createI18n('en').t;
// 2026-11-30 14:45 in Tokyo.
const now = new Date('2026-11-30T14:45:00+09:00').getTime();

describe('the sync ETA as staff read it', () => {
  it('reads in hours and minutes with the end time, in Japanese and English', () => {
    expect(formatEta(ja, 'ja', { seconds: 10_500, paused: false }, now)).toBe('約2時間55分（17:40ごろ終了）');
    expect(formatEta(en, 'en', { seconds: 10_500, paused: false }, now)).toBe('about 2 h 55 min (done around 17:40)');
  });

  it('says under a minute, whole hours, minutes only, unknown, and holds still while paused', () => {
    expect(formatDuration(ja, 42)).toBe('1分未満');
    expect(formatDuration(en, 42)).toBe('under a minute');
    expect(formatDuration(ja, 7200)).toBe('約2時間');
    expect(formatDuration(ja, 10 * 60 + 20)).toBe('約10分');
    expect(formatEta(ja, 'ja', { seconds: null, paused: false })).toBe('不明');
    expect(formatEta(en, 'en', { seconds: null, paused: false })).toBe('unknown');
    expect(formatEta(ja, 'ja', { seconds: 10_500, paused: true })).toBe('約2時間55分（一時停止中）');
  });
});

describe('the ETA held while paused', () => {
  const progress = (state: SyncProgress['state'], etaS: number | null) => ({ state, etaS }) as SyncProgress;

  it('follows the run while it runs, holds the last value while paused, and goes once the run ends', () => {
    const running = nextEta(null, progress('running', 600));
    expect(running).toEqual({ seconds: 600, paused: false });
    const paused = nextEta(running, progress('paused', 7200));
    expect(paused).toEqual({ seconds: 600, paused: true });
    // Main's ETA moves while paused (rates decay): what staff see does not.
    expect(nextEta(paused, progress('paused', 9000))).toEqual({ seconds: 600, paused: true });
    expect(nextEta(paused, progress('running', 580))).toEqual({ seconds: 580, paused: false });
    // Opening the screen on a paused run: main's value, held from then on.
    expect(nextEta(null, progress('paused', 300))).toEqual({ seconds: 300, paused: true });
    for (const state of ['finished', 'cancelled', 'cancelling', 'failed'] as const)
      expect(nextEta(running, progress(state, 10))).toBeNull();
  });
});
