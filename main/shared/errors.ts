/**
 * Domain errors travel as data: a stable code plus message parameters that carry no personal data.
 * The UI translates `errors.<code>`; logs print the code; nobody ever sees a stack trace.
 */
export const ERROR_CODES = [
  'INTERNAL',
  'INVALID_INPUT',
  'FORBIDDEN',
  'UNKNOWN_CHANNEL',
  'LOCKED',
  'PASSPHRASE_TOO_SHORT',
  'PASSPHRASE_WRONG',
  'PASSPHRASE_REQUIRED',
  'UNLOCK_WAIT',
  'UNLOCK_NOT_OFFERED',
  'UNLOCK_CANCELLED',
  'KEY_MISSING',
  'KEY_INVALID',
  'KEY_FILE_UNREADABLE',
  'KEY_FILE_INSECURE',
  'STORE_UNREADABLE',
  'STORE_CORRUPT',
  'STORE_LOCKED',
  'STORE_TOO_NEW',
  'STORE_MIGRATION_EDITED',
  'STORE_MIGRATION_FAILED',
  'STORE_NOT_FOUND',
  'NATIVE_MODULE_MISMATCH',
  'REKEY_FAILED',
  'SIM_CONFIG_INVALID',
  'SIM_PORT_IN_USE',
  'IMPORT_UNSUPPORTED_FILE',
  'IMPORT_MALFORMED_TEXT',
  'IMPORT_TOO_MANY_ROWS',
  'IMPORT_TOO_LARGE',
  'IMPORT_EMPTY',
  'IMPORT_NO_HEADER',
  'IMPORT_SHEET_NOT_FOUND',
  'IMPORT_MAPPING_INCOMPLETE',
  'IMPORT_MAPPING_INVALID',
  'IMPORT_HEADER_ROW_INVALID',
  'IMPORT_NO_ORDERS',
  'MASTER_NO_ROWS',
  'SUGGESTION_NOT_APPLICABLE',
  'TEMPLATE_NOT_FOUND',
  'BATCH_NOT_FOUND',
  'ORDER_NOT_FOUND',
  'ORDER_NOT_EDITABLE',
  'ORDER_CREATED_FIELD_LOCKED',
  'FILE_NOT_FOUND',
  'SYNC_AUTH_FAILED',
  'SYNC_BACKEND_UNREACHABLE',
  'SYNC_ALREADY_RUNNING',
  'SYNC_NOTHING_TO_DO',
  'BACKEND_URL_INVALID',
  'BACKEND_URL_INSECURE',
  'BACKEND_SECRET_REQUIRED',
  'BACKEND_TLS_ERROR',
  'BACKEND_TLS_CHECKS_DISABLED',
  'BACKEND_REDIRECT',
  'BACKEND_BAD_RESPONSE',
  'AUDIT_CHAIN_BROKEN',
  'EXPORT_UNREPRESENTABLE',
  'AUDIT_TRIGGERS_MISSING',
  'AUDIT_BATCH_UNLOGGED',
  'AUDIT_RUN_UNLOGGED',
  'AUDIT_HEAD_UNKNOWN',
  'RETENTION_NOT_SET',
  'SCHEDULE_INVALID',
  'IMPORT_FILE_GONE',
  'IMPORT_FILE_REFUSED',
  'BACKUP_NO_KEY',
  'RESTORE_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Parameters are interpolated into translated messages; only non-personal values belong here. */
export type ErrorParams = Record<string, string | number>;

export interface ErrorInfo {
  code: ErrorCode;
  params: ErrorParams;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;

  constructor(code: ErrorCode, params: ErrorParams = {}, options?: { cause?: unknown }) {
    // The message is for developers' logs: code and params only, never user data.
    super(`${code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}`, options);
    this.name = 'AppError';
    this.code = code;
    this.params = params;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, params: this.params };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Anything thrown that is not an AppError becomes INTERNAL: its message may hold SQL or data. */
export function toErrorInfo(value: unknown): ErrorInfo {
  return isAppError(value) ? value.toInfo() : { code: 'INTERNAL', params: {} };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
