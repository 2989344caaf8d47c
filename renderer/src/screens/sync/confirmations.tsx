import type { SyncPreview } from '@shared/contract';
import type { TFunction } from 'i18next';
import { formatYen } from '../../i18n';
import { askConfirm } from '../../state/confirm';
import { type RunScope, syncActions } from '../../state/sync';
import { endClock, formatDuration } from './eta';

/** The summary staff confirm before a run goes to a production backend: orders, yen, host, ETA from the limits. */
function Summary({ preview, t, locale, intro }: { preview: SyncPreview; t: TFunction; locale: string; intro: string }) {
  return (
    <>
      <p>{intro}</p>
      <dl className="facts" data-testid="sync-confirm-summary">
        <dt>{t('confirm.summary.orders')}</dt>
        <dd>{t('confirm.summary.ordersValue', { orders: preview.orders })}</dd>
        <dt>{t('confirm.summary.yen')}</dt>
        <dd>{formatYen(preview.yen, locale)}</dd>
        <dt>{t('confirm.summary.host')}</dt>
        <dd className="mono">{preview.backend.host}</dd>
        <dt>{t('confirm.summary.eta')}</dt>
        <dd>
          {preview.etaS === null
            ? t('sync.etaUnknown')
            : t('sync.etaWithEnd', { duration: formatDuration(t, preview.etaS), end: endClock(preview.etaS, locale) })}
        </dd>
      </dl>
    </>
  );
}

/**
 * Starts a run; to a production backend only after staff confirm what it will send (the built-in
 * simulator starts at once). A notify-only run (after a cancel) says it sends notifications only.
 */
export async function startWithConfirmation(t: TFunction, locale: string, batchIds: number[], scope: RunScope = {}): Promise<void> {
  let preview: SyncPreview;
  try {
    preview = await syncActions.preview(batchIds, scope);
  } catch (error) {
    syncActions.showError(error);
    return;
  }
  if (preview.backend.mode === 'remote') {
    const kind = scope.notifyOnly ? 'notify' : 'startSync';
    const confirmed = await askConfirm({
      title: t(`confirm.${kind}.title`),
      body: <Summary preview={preview} t={t} locale={locale} intro={t(`confirm.${kind}.intro`)} />,
      confirmLabel: t(`confirm.${kind}.confirm`),
      testId: 'confirm-sync-start',
    });
    if (!confirmed) return;
  }
  await syncActions.start(batchIds, scope);
}

/** Cancel asks first: what was sent is recorded, and paid orders may be left without their notification. */
export async function cancelWithConfirmation(t: TFunction): Promise<void> {
  const confirmed = await askConfirm({
    title: t('confirm.cancelSync.title'),
    body: <p>{t('confirm.cancelSync.body')}</p>,
    confirmLabel: t('confirm.cancelSync.confirm'),
    cancelLabel: t('confirm.cancelSync.back'),
    danger: true,
    testId: 'confirm-sync-cancel',
  });
  if (confirmed) await syncActions.cancel();
}
