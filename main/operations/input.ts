import type { z } from 'zod';
import { AppError, ERROR_CODES, type ErrorCode, type ErrorInfo, type ErrorParams } from '../shared/errors';

/** A schema check that knows its own error code (e.g. the backend URL policy) reports it instead of INVALID_INPUT. */
export function schemaError(error: z.ZodError): ErrorInfo | null {
  for (const issue of error.issues) {
    if (issue.code !== 'custom') continue;
    const { appError, ...params } = (issue.params ?? {}) as Record<string, unknown>;
    if (typeof appError === 'string' && (ERROR_CODES as readonly string[]).includes(appError)) {
      const plain: ErrorParams = {};
      for (const [key, value] of Object.entries(params)) if (typeof value === 'string' || typeof value === 'number') plain[key] = value;
      return { code: appError as ErrorCode, params: plain };
    }
  }
  return null;
}

/**
 * Parses a command-line value with the contract's schema (the one the IPC input goes through), so both faces
 * accept the same values. A refusal names the option (or the policy's own code, e.g. a refused backend URL).
 */
export function parseOption<S extends z.ZodType>(schema: S, value: unknown, option: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const known = schemaError(parsed.error);
  if (known) throw new AppError(known.code, known.params);
  throw new AppError('INVALID_INPUT', { option });
}

/** A whole-number option ("12"), as the command line gives it; anything else is NaN for the schema to refuse. */
export function integerText(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  return /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}
