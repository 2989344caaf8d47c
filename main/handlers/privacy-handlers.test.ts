import { describe, expect, it } from 'vitest';
import { handlerApp, scriptedDialogs } from '../../tests/helpers/handlers';
import { tempDirsPerTest } from '../../tests/helpers/tmp';

const tempDir = tempDirsPerTest();
const { setup } = handlerApp(tempDir);

describe('lock settings over IPC', () => {
  it('sets, changes and removes the passphrase only with the current one, audited without it or its hash', async () => {
    const { call, failure, store } = setup(scriptedDialogs([], []));
    expect(await call('getLockStatus')).toMatchObject({
      locked: false,
      enabled: true,
      idleMinutes: 10,
      methods: ['none'],
      passphraseSet: false,
    });
    expect(await failure('setPassphrase', { next: 'short' })).toEqual({ code: 'PASSPHRASE_TOO_SHORT', params: { min: 8 } });
    expect(await call('setPassphrase', { next: 'first passphrase' })).toMatchObject({ passphraseSet: true, methods: ['passphrase'] });
    // Whoever finds the window open cannot replace or remove it.
    expect(await failure('setPassphrase', { next: 'taken over!' })).toMatchObject({ code: 'PASSPHRASE_REQUIRED' });
    expect(await failure('setPassphrase', { current: 'a guess at it', next: null })).toEqual({
      code: 'PASSPHRASE_WRONG',
      params: { left: 4 },
    });
    expect(await call('setPassphrase', { current: 'first passphrase', next: 'second passphrase' })).toMatchObject({ passphraseSet: true });
    expect(await call('setPassphrase', { current: 'second passphrase', next: null })).toMatchObject({
      passphraseSet: false,
      methods: ['none'],
    });
    expect(await call('saveLockSettings', { enabled: false, idleMinutes: 5 })).toMatchObject({ enabled: false, idleMinutes: 5 });
    expect(await failure('saveLockSettings', { enabled: true, idleMinutes: 0 })).toMatchObject({ code: 'INVALID_INPUT' });
    const entries = store.db.prepare("SELECT details FROM audit_log WHERE action = 'settings.changed' ORDER BY seq").pluck().all();
    expect(entries).toEqual([
      '{"setting":"lockPassphrase","value":"set"}',
      '{"setting":"lockPassphrase","value":"set"}',
      '{"setting":"lockPassphrase","value":"removed"}',
      '{"setting":"idleLock","value":"off"}',
    ]);
    const settings = JSON.stringify(store.db.prepare('SELECT * FROM settings').all());
    expect(settings).not.toMatch(/first passphrase|second passphrase/);
  });

  it('locks by hand and unlocks with the passphrase over the open channels', async () => {
    const { call, failure } = setup(scriptedDialogs([], []));
    await call('setPassphrase', { next: 'correct horse battery' });
    expect(await call('lockNow')).toMatchObject({ locked: true });
    expect(await failure('listBatches')).toMatchObject({ code: 'LOCKED' });
    expect(await failure('unlock', { method: 'none' })).toMatchObject({ code: 'UNLOCK_NOT_OFFERED' });
    expect(await failure('unlock', { method: 'os' })).toMatchObject({ code: 'UNLOCK_NOT_OFFERED' });
    expect(await call('unlock', { method: 'passphrase', passphrase: 'correct horse battery' })).toMatchObject({ locked: false });
    expect(await call('listBatches')).toEqual([]);
  });
});
