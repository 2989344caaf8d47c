import type { TFunction } from 'i18next';

/**
 * A batch's or an order line's status as a coloured badge. `t` is passed in: grid cells render many badges
 * and do not each subscribe to i18n.
 */
export function StatusBadge({ t, kind, status }: { t: TFunction; kind: 'batch' | 'line'; status: string }) {
  return (
    <span className={`badge badge-${status}`}>{t(kind === 'batch' ? `batches.status.${status}` : `review.statusValue.${status}`)}</span>
  );
}
