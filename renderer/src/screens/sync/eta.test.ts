import { describe, expect, it, vi } from 'vitest';
import { createI18n } from '../../../../main/shared/i18n';
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
