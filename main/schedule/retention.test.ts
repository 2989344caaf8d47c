import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { sampleLine, SAMPLE_HEADERS, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { importFile } from '../import/stage';
import { openStore, type Store } from '../store/database';
import { generateKey, type StoreKey } from '../store/key';
import { writeSetting } from '../store/settings';
import { DAY_MS, RetentionSchedule } from './retention';

const tempDir = tempDirsPerTest();
let store: Store;
let key: StoreKey;
beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-30T09:00:00Z') });
  key = generateKey();
  store = openStore({ path: join(tempDir(), 'store.db'), key });
});
afterEach(() => {
  vi.useRealTimers();
  store.close();
});

const importAt = (ref: string, ageDays: number) =>
  importFile(store.db, {
    fileName: `${ref}.xlsx`,
    bytes: workbookBytes([SAMPLE_HEADERS, sampleLine(ref, { メール: `${ref.toLowerCase()}@example-pii.jp` })], 'xlsx'),
    actor: 'sato',
    now: new Date(Date.now() - ageDays * DAY_MS),
  });
const email = (ref: string) =>
  (store.db.prepare('SELECT email FROM orders WHERE order_ref = ?').get(ref) as { email: string | null }).email;
const purges = () => (store.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'retention.purged'").get() as { n: number }).n;

describe('retention schedule (desktop app)', () => {
  it('purges shortly after start, then every day, with the saved retention days read each time', () => {
    importAt('OLD', 40);
    importAt('NEW', 1);
    writeSetting(store.db, 'retentionDays', 30);
    const purged: number[] = [];
    const schedule = new RetentionSchedule({ db: store.db, actor: 'sato', firstDelayMs: 5_000, onPurged: (r) => purged.push(r.orders) });
    schedule.start();
    vi.advanceTimersByTime(4_999);
    expect(email('OLD')).toBe('old@example-pii.jp');
    vi.advanceTimersByTime(1);
    expect(email('OLD')).toBeNull();
    expect(email('NEW')).toBe('new@example-pii.jp');
    expect(purged).toEqual([1]);

    // Daily: NEW (1 day old at start) reaches 30 days after 29 more days, and is purged by that day's run.
    vi.advanceTimersByTime(28 * DAY_MS);
    expect(email('NEW')).toBe('new@example-pii.jp');
    vi.advanceTimersByTime(DAY_MS);
    expect(email('NEW')).toBeNull();
    expect(purged).toHaveLength(30);
    expect(purges()).toBe(30);

    // Retention switched off in Settings: the daily run purges nothing and records nothing.
    writeSetting(store.db, 'retentionDays', null);
    vi.advanceTimersByTime(DAY_MS);
    expect(purges()).toBe(30);
    writeSetting(store.db, 'retentionDays', 30);
    schedule.stop();
    vi.advanceTimersByTime(3 * DAY_MS);
    expect(purges()).toBe(30);
  });

  it('reports a failed purge and tries again the next day', () => {
    writeSetting(store.db, 'retentionDays', 30);
    const errors: string[] = [];
    const schedule = new RetentionSchedule({ db: store.db, actor: 'sato', firstDelayMs: 0, onError: (e) => errors.push(e.code) });
    // Another process holds the write lock: the purge gives up after the busy timeout.
    store.db.pragma('busy_timeout = 0');
    const other = openStore({ path: store.path, key });
    other.db.prepare('BEGIN IMMEDIATE').run();
    schedule.start();
    vi.advanceTimersByTime(0);
    expect(errors).toEqual(['STORE_LOCKED']);
    other.db.prepare('ROLLBACK').run();
    other.close();
    vi.advanceTimersByTime(DAY_MS);
    expect(errors).toHaveLength(1);
    expect(purges()).toBe(1);
    schedule.stop();
  });
});
