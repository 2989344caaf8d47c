import { type BatchState, batchState } from '@shared/batch-state';
import type { BatchSummary } from '@shared/contract';
import type { TFunction } from 'i18next';

/** Each state's colour: the line status badge whose meaning is closest. */
const TONE: Record<BatchState, string> = {
  empty: 'excluded',
  partialFailed: 'failed',
  failed: 'failed',
  needsReview: 'needs_review',
  paidUnnotified: 'paid_unnotified',
  synced: 'synced',
  partial: 'syncing',
  needsFix: 'invalid',
  ready: 'ready',
  staged: 'valid',
  purged: 'purged',
};

/** Where a batch really stands (一部連携・失敗あり, 連携済み, …), from its counts: the batch list and the history say it alike. */
export function BatchStateBadge({ t, batch }: { t: TFunction; batch: Pick<BatchSummary, 'orders' | 'status'> }) {
  const state = batchState(batch);
  return (
    <span className={`badge badge-${TONE[state]}`} data-testid="batch-state">
      {t(`batches.state.${state}`)}
    </span>
  );
}
