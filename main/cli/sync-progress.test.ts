import { describe, expect, it } from 'vitest';
import type { ServiceProgress, SyncProgress } from '../shared/contract';
import { createI18n } from '../shared/i18n';
import { progressReporter } from './sync-progress';

const service = (over: Partial<ServiceProgress> = {}): ServiceProgress => ({
  waiting: 0,
  in_flight: 0,
  done: 0,
  failed: 0,
  requests: 0,
  rate_per_second: 0,
  average_per_second: 0,
  limit_per_second: null,
  breaker: 'closed',
  last_error: null,
  retry_in_s: null,
  ...over,
});

const snapshot = (over: Partial<SyncProgress> = {}, payments: Partial<ServiceProgress> = {}): SyncProgress => ({
  runId: 1,
  state: 'running',
  elapsedS: 10,
  total: 100,
  done: 40,
  failed: 0,
  needsReview: 0,
  services: { orders: service({ done: 60 }), payments: service({ done: 40, ...payments }), notifications: service({ done: 40 }) },
  etaS: 14,
  yen: { staged: 0, synced: 0 },
  retries: 0,
  rateLimited: 0,
  ...over,
});

/** The lines a sequence of snapshots prints (progress lines left out, except where asked). */
function lines(lang: 'ja' | 'en', snapshots: SyncProgress[]): string[] {
  const i18n = createI18n(lang);
  let out = '';
  const report = progressReporter(
    i18n.t,
    (text) => {
      out += text;
    },
    false,
  );
  for (const p of snapshots) report(p);
  return out.split('\n').filter(Boolean);
}

const outage = [
  snapshot(),
  // One failed call among many says nothing yet.
  snapshot({}, { last_error: 'HTTP_503', retry_in_s: 1 }),
  snapshot({}, { last_error: 'HTTP_503', retry_in_s: 1 }),
  snapshot({ etaS: null }, { last_error: 'HTTP_503', breaker: 'open', retry_in_s: 12 }),
  snapshot({ etaS: null }, { last_error: 'HTTP_503', breaker: 'open', retry_in_s: 11 }),
  snapshot({}, { breaker: 'closed' }),
  snapshot({ state: 'finished', done: 100, etaS: 0 }),
];

describe('CLI sync progress', () => {
  it('says when a service is down, why, when it is retried and the breaker; when nothing moves; and the resumption (ja)', () => {
    const said = lines('ja', outage).filter((l) => !l.includes('█') && !l.includes('░'));
    expect(said).toEqual([
      '決済サービスが応答しません（HTTP 503）。1秒後に再試行します。ブレーカー：閉',
      '決済サービスが応答しません（HTTP 503）。12秒後に再試行します。ブレーカー：開',
      '進捗が止まっています。残り時間：不明',
      '決済サービスが復旧しました。連携を再開します。',
      '進捗が再開しました。',
    ]);
  });

  it('in English, with ETA unknown on the progress line while nothing moves', () => {
    const all = lines('en', [snapshot({ etaS: null }, { last_error: 'TIMEOUT', breaker: 'open', retry_in_s: 12 })]);
    expect(all).toContain('Payments unavailable (timeout): retrying in 12 s; breaker open');
    expect(all.find((l) => l.includes('ETA'))).toMatch(/ETA unknown$/);
    const outageLines = lines('en', outage);
    expect(outageLines).toContain('Payments unavailable (HTTP 503): retrying in 12 s; breaker open');
    expect(outageLines).toContain('Payments back: resuming');
  });

  it('reports pause and resume once each', () => {
    const said = lines('en', [snapshot(), snapshot({ state: 'paused' }), snapshot({ state: 'paused' }), snapshot()]);
    expect(said.filter((l) => l.startsWith('Sync'))).toEqual(['Sync paused', 'Sync resumed']);
  });
});
