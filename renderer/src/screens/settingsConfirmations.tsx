import { i18n } from '../i18n';
import { confirmThen } from '../state/confirm';
import { recordsActions } from '../state/records';

/**
 * Settings' two actions that cannot be taken back ask first: deleting expired personal data, and
 * restoring a backup (which replaces the store and restarts the app). Going back does nothing.
 */
export function confirmPurge(days: number | null): Promise<void> {
  const t = i18n.t;
  return confirmThen(
    {
      title: t('confirm.purge.title'),
      body: <p>{t('confirm.purge.body', { days: days ?? 0 })}</p>,
      confirmLabel: t('confirm.purge.confirm'),
      danger: true,
      testId: 'confirm-purge',
    },
    () => recordsActions.purgeNow(),
  );
}

export function confirmRestore(): Promise<void> {
  const t = i18n.t;
  return confirmThen(
    {
      title: t('confirm.restore.title'),
      body: <p>{t('confirm.restore.body')}</p>,
      confirmLabel: t('confirm.restore.confirm'),
      danger: true,
      testId: 'confirm-restore',
    },
    () => recordsActions.restore(),
  );
}
