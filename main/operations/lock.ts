import type { AppContext } from '../app/context';
import type { Input, LockStatus } from '../shared/contract';
import { AppError } from '../shared/errors';
import { hashPassphrase } from '../security/passphrase';
import { writeSetting } from '../store/settings';
import { changeSettings } from './settings';

/** The idle lock's settings (on/off, minutes), audited as a settings change; applied at once. */
export function saveLockSettings(ctx: AppContext, { enabled, idleMinutes }: Input<'saveLockSettings'>): LockStatus {
  changeSettings(ctx, 'idleLock', enabled ? idleMinutes : 'off', () =>
    writeSetting(ctx.store.db, 'idleLock', { enabled, minutes: idleMinutes }),
  );
  ctx.lock.settingsChanged();
  return ctx.lock.status();
}

/**
 * Sets, changes or removes the passphrase. Once one is set, the current one is needed (checked as an unlock
 * is, wrong tries counted): whoever finds the window open cannot take it over. Audited as set/removed, never
 * the passphrase nor its hash.
 */
export async function setPassphrase(ctx: AppContext, { current, next }: Input<'setPassphrase'>): Promise<LockStatus> {
  if (ctx.lock.status().passphraseSet) {
    if (!current) throw new AppError('PASSPHRASE_REQUIRED', {});
    await ctx.lock.checkPassphrase(current);
  }
  const hash = next === null ? null : await hashPassphrase(next);
  changeSettings(ctx, 'lockPassphrase', hash ? 'set' : 'removed', () => writeSetting(ctx.store.db, 'lockPassphrase', hash));
  ctx.lock.settingsChanged();
  return ctx.lock.status();
}
