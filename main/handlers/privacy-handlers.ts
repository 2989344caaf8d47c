import type { AppContext } from '../app/context';
import { saveLockSettings, setPassphrase, viewOrder } from '../operations';
import type { Handlers } from './dispatch';

type PrivacyHandlers = Pick<
  Handlers,
  'orderDetail' | 'getLockStatus' | 'lockNow' | 'unlock' | 'reportActivity' | 'saveLockSettings' | 'setPassphrase'
>;

/** One order's details (recorded as viewed) and the idle lock: adapters over main/operations and main/security/lock.ts. */
export function privacyHandlers(ctx: AppContext): PrivacyHandlers {
  return {
    orderDetail: (input) => ({ lines: viewOrder(ctx, input) }),
    getLockStatus: () => ctx.lock.status(),
    lockNow: () => ctx.lock.lock('manual'),
    unlock: (input) => ctx.lock.unlock(input.method, input.method === 'passphrase' ? input.passphrase : undefined),
    reportActivity: () => {
      ctx.lock.activity();
      return { ok: true } as const;
    },
    saveLockSettings: (input) => saveLockSettings(ctx, input),
    setPassphrase: (input) => setPassphrase(ctx, input),
  };
}
