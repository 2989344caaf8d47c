import type { ErrorInfo } from '@shared/errors';
import { isGuideSection } from '@shared/guide';
import { useTranslation } from 'react-i18next';
import { call } from '../ipc';

/**
 * A translated error from main: code and parameters only, never a stack trace. "詳しく" opens the staff guide
 * at the code's row (main checks the section against the guide's anchors).
 */
export function ErrorMessage({ error }: { error: ErrorInfo | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  const section = error.code;
  const message = (
    <p className="error" role="alert">
      {t(`errors.${error.code}`, error.params)}
    </p>
  );
  // The link sits beside the alert, not in it: the alert says the message only.
  if (!isGuideSection(section)) return message;
  return (
    <div className="error-message">
      {message}
      <button
        type="button"
        className="link learn-more"
        aria-label={t('guide.learnMoreLabel')}
        // A guide that cannot open (no window, as in tests) leaves the message as it is.
        onClick={() => void call('openGuide', { section }).catch(() => undefined)}
      >
        {t('guide.learnMore')}
      </button>
    </div>
  );
}
