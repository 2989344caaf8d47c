import type { AppContext } from '../app/context';
import { AppError } from '../shared/errors';
import { type PurgeResult, purgeExpired, setLegalHold } from '../retention/purge';
import { readSetting } from '../store/settings';

/** Purge: personal data of orders imported more than `days` days ago (the saved retention unless given). */
export function purgeNow(ctx: AppContext, options: { days?: number } = {}): PurgeResult & { days: number } {
  const days = options.days ?? readSetting(ctx.store.db, 'retentionDays', null);
  if (days === null) throw new AppError('RETENTION_NOT_SET', {});
  return { days, ...purgeExpired(ctx.store.db, { days, actor: ctx.actor }) };
}

/** Hold: a batch put on legal hold (never purged) or released, with its audit entry. */
export function holdBatch(ctx: AppContext, { batchId, hold }: { batchId: number; hold: boolean }): void {
  setLegalHold(ctx.store.db, batchId, hold, ctx.actor);
}

export function retentionDays(ctx: AppContext): number | null {
  return readSetting(ctx.store.db, 'retentionDays', null);
}
