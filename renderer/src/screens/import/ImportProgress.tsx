import type { ImportProgress as Progress } from '@shared/contract';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../../i18n';
import { call, subscribe } from '../../ipc';
import { useLocale } from '../../state/app';

/**
 * A running import: the percentage and lines done, from main's import:progress events, and a cancel button.
 * Cancelling asks main to stop; the import then ends with IMPORT_CANCELLED (nothing staged), shown by the screen.
 */
export function ImportProgress() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [progress, setProgress] = useState<Progress | null>(null);
  const [cancelling, setCancelling] = useState(false);
  useEffect(() => subscribe('importProgress', setProgress), []);
  const staging = progress?.phase === 'staging';
  const label = staging
    ? t('import.progressLines', {
        read: formatCount(progress.linesRead, locale),
        total: formatCount(progress.linesTotal, locale),
        percent: progress.percent,
      })
    : t('import.progressReading');
  const cancel = () => {
    setCancelling(true);
    // The import's own answer (IMPORT_CANCELLED, or its outcome when it had just finished) ends this part; the
    // screen's message about it shows at the top, under the title: brought into view.
    void call('cancelImport')
      .then(() => document.getElementById('screen-title')?.scrollIntoView({ block: 'start' }))
      .catch(() => setCancelling(false));
  };
  return (
    <div className="busy" role="status" data-testid="import-progress">
      {staging ? (
        <progress aria-label={t('import.progressLabel')} max={100} value={progress.percent} />
      ) : (
        <progress aria-label={t('import.progressLabel')} />
      )}
      <span data-testid="import-progress-text">{label}</span>
      <button type="button" disabled={cancelling} onClick={cancel}>
        {cancelling ? t('import.cancelling') : t('import.cancelImport')}
      </button>
    </div>
  );
}
