import type { AppContext } from '../app/context';
import type { Input, Output } from '../shared/contract';
import { assertBatch } from '../store/batches';

/** Sync start: a run over the given batches in the background (its progress and end come as events). */
export function startSync(ctx: AppContext, { batchIds, retryFailed, notifyOnly }: Input<'startSync'>): Promise<Output<'startSync'>> {
  for (const batchId of batchIds) assertBatch(ctx.store.db, batchId);
  return ctx.sync.start(batchIds, { retryFailed, notifyOnly });
}

/** What a sync start would take on, for staff to confirm before it goes to a production backend. */
export function previewSync(ctx: AppContext, { batchIds, retryFailed, notifyOnly }: Input<'previewSync'>): Output<'previewSync'> {
  for (const batchId of batchIds) assertBatch(ctx.store.db, batchId);
  return ctx.sync.preview(batchIds, { retryFailed, notifyOnly });
}

export function pauseSync(ctx: AppContext): Output<'pauseSync'> {
  ctx.sync.pause();
  return { ok: true };
}

export function resumeSync(ctx: AppContext): Output<'resumeSync'> {
  ctx.sync.resume();
  return { ok: true };
}

export function cancelSync(ctx: AppContext): Output<'cancelSync'> {
  ctx.sync.cancel();
  return { ok: true };
}

export function syncStatus(ctx: AppContext): Output<'getSyncStatus'> {
  const { running, progress, failure } = ctx.sync.status();
  return { running, progress, failure };
}
