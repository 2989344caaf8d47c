import type { ErrorInfo } from '@shared/errors';
import { useTranslation } from 'react-i18next';

/** A translated error from main: code and parameters only, never a stack trace. */
export function ErrorMessage({ error }: { error: ErrorInfo | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {t(`errors.${error.code}`, error.params)}
    </p>
  );
}
