import type { BatchSummary } from './contract';

/** Where a batch really stands, from its counts (the stored status only says staged or ready). */
export type BatchState =
  | 'empty'
  | 'partialFailed'
  | 'failed'
  | 'needsReview'
  | 'paidUnnotified'
  | 'synced'
  | 'partial'
  | 'needsFix'
  | 'ready'
  | 'staged'
  | 'purged';

/** The batch list's state column, in the desktop app and on the command line (`batches.state.*`). */
export function batchState(batch: Pick<BatchSummary, 'orders' | 'status'>): BatchState {
  const { total, invalid, synced, failed, needsReview, valid } = batch.orders;
  if (total === 0) return 'empty';
  if (synced > 0 && failed + needsReview > 0) return 'partialFailed';
  if (failed > 0) return 'failed';
  if (needsReview > 0) return 'needsReview';
  // A cancel left orders paid whose notification is not sent: finishing them is the next step.
  if ((batch.orders.paidUnnotified ?? 0) > 0) return 'paidUnnotified';
  if (synced > 0 && synced >= valid && invalid === 0) return 'synced';
  if (synced > 0) return 'partial';
  if (invalid > 0) return 'needsFix';
  // Retention deleted the data of orders never synced, and nothing else is left to do: they need a re-import.
  if ((batch.orders.purged ?? 0) > 0 && valid <= synced) return 'purged';
  return batch.status;
}
