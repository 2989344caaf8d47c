import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { openStore } from '../store/database';
import { generateKey } from '../store/key';
import { readSetting, writeSetting } from '../store/settings';
import { AppLock, waitAfter } from './lock';
import { hashPassphrase, verifyPassphrase } from './passphrase';

const tempDir = tempDirsPerTest();

function lockedStore() {
  const path = join(tempDir(), 'store.db');
  const key = generateKey();
  const store = openStore({ path, key });
  return { store, reopen: () => openStore({ path, key }) };
}

function audit(db: ReturnType<typeof openStore>['db']) {
  return (db.prepare('SELECT action, details FROM audit_log ORDER BY seq').all() as { action: string; details: string }[]).map((r) => [
    r.action,
    JSON.parse(r.details),
  ]);
}

const errorOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: { code: string; params: unknown }) => ({ code: error.code, params: error.params }),
  );

afterEach(() => {
  vi.useRealTimers();
});

describe('passphrase hash', () => {
  it('keeps a salted scrypt hash, never the passphrase, and checks it', async () => {
    const stored = await hashPassphrase('correct horse battery');
    expect(stored).toMatchObject({ kdf: 'scrypt', n: 32768, r: 8, p: 1 });
    expect(JSON.stringify(stored)).not.toContain('correct horse');
    expect(Buffer.from(stored.salt, 'base64')).toHaveLength(16);
    expect(await verifyPassphrase('correct horse battery', stored)).toBe(true);
    expect(await verifyPassphrase('correct horse batterY', stored)).toBe(false);
    // Salted: the same passphrase hashes differently each time.
    expect((await hashPassphrase('correct horse battery')).hash).not.toBe(stored.hash);
  });
});

describe('AppLock', () => {
  it('locks after the idle time without input, not before, and input postpones it', () => {
    vi.useFakeTimers();
    const { store } = lockedStore();
    const lock = new AppLock(store.db, 'sato');
    lock.start();
    vi.advanceTimersByTime(9 * 60_000);
    lock.activity();
    vi.advanceTimersByTime(9 * 60_000);
    expect(lock.isLocked()).toBe(false);
    vi.advanceTimersByTime(60_000);
    expect(lock.isLocked()).toBe(true);
    expect(audit(store.db)).toEqual([['lock', { reason: 'idle' }]]);
    // Input while locked changes nothing.
    lock.activity();
    expect(lock.isLocked()).toBe(true);
    store.close();
  });

  it('does not lock by itself when the setting is off', () => {
    vi.useFakeTimers();
    const { store } = lockedStore();
    writeSetting(store.db, 'idleLock', { enabled: false, minutes: 10 });
    const lock = new AppLock(store.db, 'sato');
    lock.start();
    vi.advanceTimersByTime(60 * 60_000);
    expect(lock.isLocked()).toBe(false);
    store.close();
  });

  it('without a passphrase opens with a button (a privacy screen), and says so', async () => {
    const { store } = lockedStore();
    const lock = new AppLock(store.db, 'sato');
    lock.lock('manual');
    expect(lock.status()).toMatchObject({ locked: true, methods: ['none'], passphraseSet: false });
    expect(await lock.unlock('none')).toMatchObject({ locked: false });
    expect(audit(store.db)).toEqual([
      ['lock', { reason: 'manual' }],
      ['unlock', { method: 'none', wrong_tries: 0 }],
    ]);
    store.close();
  });

  it('with a passphrase refuses the button; five wrong tries make each further try wait longer, kept across a restart', async () => {
    let now = Date.parse('2026-11-30T09:00:00Z');
    const { store, reopen } = lockedStore();
    writeSetting(store.db, 'lockPassphrase', await hashPassphrase('correct horse battery'));
    const lock = new AppLock(store.db, 'sato', { now: () => now });
    lock.lock('idle');
    expect(lock.status().methods).toEqual(['passphrase']);
    expect(await errorOf(lock.unlock('none'))).toMatchObject({ code: 'UNLOCK_NOT_OFFERED' });
    for (const left of [4, 3, 2, 1])
      expect(await errorOf(lock.unlock('passphrase', 'wrong guess'))).toEqual({ code: 'PASSPHRASE_WRONG', params: { left } });
    expect(await errorOf(lock.unlock('passphrase', 'wrong guess'))).toEqual({ code: 'UNLOCK_WAIT', params: { seconds: 30 } });
    // During the wait even the right passphrase is refused, unchecked.
    now += 10_000;
    expect(await errorOf(lock.unlock('passphrase', 'correct horse battery'))).toEqual({ code: 'UNLOCK_WAIT', params: { seconds: 20 } });
    expect(lock.status()).toMatchObject({ locked: true, retryInS: 20 });
    now += 20_000;
    expect(await errorOf(lock.unlock('passphrase', 'wrong guess'))).toEqual({ code: 'UNLOCK_WAIT', params: { seconds: 60 } });
    now += 60_000;
    expect(await errorOf(lock.unlock('passphrase', 'wrong guess'))).toEqual({ code: 'UNLOCK_WAIT', params: { seconds: 120 } });
    expect(waitAfter(20)).toBe(900);

    // Quitting and starting again: still locked, still waiting.
    store.close();
    const again = reopen();
    const restarted = new AppLock(again.db, 'sato', { now: () => now });
    expect(restarted.status()).toMatchObject({ locked: true, retryInS: 120 });
    now += 120_000;
    expect(await restarted.unlock('passphrase', 'correct horse battery')).toMatchObject({ locked: false, retryInS: 0 });
    expect(readSetting(again.db, 'lockState', { locked: true, failures: 9, retryAt: null })).toEqual({
      locked: false,
      failures: 0,
      retryAt: null,
    });
    expect(audit(again.db)).toEqual([
      ['lock', { reason: 'idle' }],
      ['unlock', { method: 'passphrase', wrong_tries: 7 }],
    ]);
    expect(JSON.stringify(again.db.prepare('SELECT * FROM audit_log').all())).not.toMatch(/wrong guess|correct horse/);
    again.close();
  });

  it('offers the OS confirmation where the shell gives one, and stays locked when it is cancelled', async () => {
    const { store } = lockedStore();
    const lock = new AppLock(store.db, 'sato');
    const answers = [false, true];
    lock.osConfirm = { available: () => true, confirm: async () => answers.shift() ?? false };
    lock.lock('os');
    expect(lock.status().methods).toEqual(['os']);
    expect(await errorOf(lock.unlock('os'))).toMatchObject({ code: 'UNLOCK_CANCELLED' });
    expect(lock.isLocked()).toBe(true);
    expect(await lock.unlock('os')).toMatchObject({ locked: false });
    store.close();
  });
});
