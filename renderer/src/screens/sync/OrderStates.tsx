import type { LineRow } from '@shared/contract';
import type { TFunction } from 'i18next';
import { StatusBadge } from '../../components/StatusBadge';

/**
 * The sync screen's lists of orders (failed and needs-review; paid, not yet notified): order number and state,
 * plus a reason column where the list has one. Long reasons wrap (.sync-list), never widening the page.
 */
export function OrderStates({
  t,
  caption,
  rows,
  reason,
}: {
  t: TFunction;
  caption: string;
  rows: readonly LineRow[];
  reason?: (row: LineRow) => string;
}) {
  return (
    <table className="table compact sync-list">
      <caption className="visually-hidden">{caption}</caption>
      <colgroup>
        <col className="order" />
        <col className={reason ? 'state' : undefined} />
        {reason && <col />}
      </colgroup>
      <thead>
        <tr>
          <th scope="col">{t('syncList.order')}</th>
          <th scope="col">{t('syncList.state')}</th>
          {reason && <th scope="col">{t('syncList.reason')}</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.lineId}>
            <th scope="row">{row.orderRef}</th>
            <td>
              <StatusBadge t={t} kind="line" status={row.status} />
            </td>
            {reason && <td>{reason(row)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
