import type { Output } from '@shared/contract';
import type { ErrorInfo } from '@shared/errors';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../state/app';
import { recordsActions } from '../../state/records';

type Result = Output<'testConnection'> | ErrorInfo;

/**
 * "接続テスト": checks the saved backend (reach, token, one harmless look-up) and says the outcome in words:
 * success with the answer's time, or the step that failed and what to check. Never a secret or a response body.
 */
export function ConnectionTest({ disabled }: { disabled: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const hintId = useId();
  const run = () => {
    setRunning(true);
    setResult(null);
    void recordsActions.testConnection().then((value) => {
      setResult(value);
      setRunning(false);
    });
  };
  const seconds = (ms: number) =>
    new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Math.max(ms, 10) / 1000);
  return (
    <>
      <button type="button" disabled={disabled || running} aria-describedby={hintId} onClick={run}>
        {running ? t('settings.connection.running') : t('settings.connection.test')}
      </button>
      <span id={hintId} className="muted small">
        {t('settings.connection.hint')}
      </span>
      <div role="status" className="connection-result" data-testid="connection-result">
        {result &&
          ('code' in result ? (
            <p className="error">{t(`errors.${result.code}`, result.params)}</p>
          ) : result.ok ? (
            <p className="ok">{t('settings.connection.ok', { host: result.host, seconds: seconds(result.latencyMs) })}</p>
          ) : (
            <p className="error">
              {t('settings.connection.failed', {
                step: t(`settings.connection.step.${result.step}`),
                reason: t(`settings.connection.reason.${result.reason}`, { status: result.status ?? '' }),
              })}
            </p>
          ))}
      </div>
    </>
  );
}
