import type { ErrorInfo } from '@shared/errors';
import { useTranslation } from 'react-i18next';

/** A message for one field: an i18n key with its parameters, or an error from main (translated by its code). */
export type FieldMessage = { key: string; params?: Record<string, string | number> } | ErrorInfo;

/**
 * The attributes that tie an input to its error: aria-invalid, and aria-describedby naming the error (and the
 * field's hint, when it has one).
 */
export function invalidProps(errorId: string, message: FieldMessage | null | undefined, hintId?: string) {
  const describedBy = [message ? errorId : null, hintId ?? null].filter(Boolean).join(' ');
  return { 'aria-invalid': message ? true : undefined, 'aria-describedby': describedBy || undefined };
}

/** The error shown at its field (right under it), read out when it appears. */
export function FieldError({ id, message }: { id: string; message: FieldMessage | null | undefined }) {
  const { t } = useTranslation();
  if (!message) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {'code' in message ? t(`errors.${message.code}`, message.params) : t(message.key, message.params ?? {})}
    </p>
  );
}
