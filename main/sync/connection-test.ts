import type { ConnectionFailure, ConnectionResult, ConnectionStep } from '../shared/contract';
import { AppError } from '../shared/errors';
import type { Backend } from './backend';
import { classifyFetchError, defaultFetch, type FetchLike } from './transport';

/**
 * "接続テスト": whether the configured backend can be used, step by step, without changing anything on it.
 * First the server is reached (name resolution, connection, TLS), then a token is requested with the
 * configured credentials, then one harmless look-up is made (GET orders by a client reference no order
 * has). The answer names the step that failed and why, as codes the screen translates; never a secret,
 * a token or a response body.
 */

export type { ConnectionResult };

/** A client reference no order carries: the look-up finds nothing and changes nothing. */
export const PROBE_REFERENCE = 'order-stager-connection-test';

const NAME_NOT_RESOLVED = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME']);
const REFUSED = new Set(['ECONNREFUSED', 'ECONNRESET']);

/** The error codes and messages along an error's chain of causes. */
function causes(error: unknown): { codes: string[]; text: string } {
  const codes: string[] = [];
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth += 1) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === 'string') codes.push(e.code);
    if (typeof e.message === 'string') messages.push(e.message);
    current = e.cause;
  }
  return { codes, text: messages.join(' | ') };
}

/** Why the server could not be reached: the transport's classification, with the name lookup told apart. */
export function reachFailure(error: unknown): { step: ConnectionStep; reason: ConnectionFailure } {
  const kind = classifyFetchError(error).kind;
  if (kind === 'tls') return { step: 'tls', reason: 'certificate' };
  if (kind === 'timeout') return { step: 'connect', reason: 'timeout' };
  const { codes, text } = causes(error);
  if (codes.some((c) => NAME_NOT_RESOLVED.has(c)) || /net::ERR_NAME_NOT_RESOLVED/.test(text)) return { step: 'dns', reason: 'not_found' };
  if (codes.some((c) => REFUSED.has(c)) || /net::ERR_CONNECTION_(REFUSED|RESET)/.test(text)) return { step: 'connect', reason: 'refused' };
  return { step: 'connect', reason: 'unreachable' };
}

/** Where the token and look-up failed, from the client's typed errors. */
function clientFailure(error: unknown): { step: ConnectionStep; reason: ConnectionFailure; status?: number } {
  if (!(error instanceof AppError)) throw error;
  switch (error.code) {
    case 'SYNC_AUTH_FAILED':
      return { step: 'auth', reason: 'credentials', status: Number(error.params.status) || undefined };
    case 'BACKEND_TLS_ERROR':
      return { step: 'tls', reason: 'certificate' };
    case 'BACKEND_REDIRECT':
      return { step: 'response', reason: 'redirect' };
    case 'BACKEND_BAD_RESPONSE':
      return { step: 'auth', reason: 'bad_response' };
    default:
      throw error;
  }
}

export async function testConnection(
  backend: Pick<Backend, 'client'>,
  baseUrl: string,
  options: { fetch?: FetchLike; timeoutMs?: number; now?: () => number } = {},
): Promise<ConnectionResult> {
  const { client } = backend;
  const host = client.host;
  const now = options.now ?? (() => performance.now());
  const fetch = options.fetch ?? defaultFetch();
  try {
    const response = await fetch(new URL('/', baseUrl).href, {
      method: 'HEAD',
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    await response.body?.cancel().catch(() => undefined);
  } catch (error) {
    return { ok: false, host, ...reachFailure(error) };
  }
  try {
    // The token service answered with neither a token nor a refusal (5xx, 429, cut off).
    if (!(await client.ready())) return { ok: false, host, step: 'auth', reason: 'unavailable' };
    const started = now();
    const outcome = await client.findOrders(PROBE_REFERENCE);
    const latencyMs = Math.max(0, Math.round(now() - started));
    switch (outcome.kind) {
      case 'ok':
        return { ok: true, host, latencyMs };
      case 'rejected':
        // 404: this backend has no look-up by reference, but it answered with the token accepted.
        return outcome.status === 404
          ? { ok: true, host, latencyMs }
          : { ok: false, host, step: 'response', reason: 'status', status: outcome.status };
      case 'throttled':
        return { ok: false, host, step: 'response', reason: 'throttled' };
      case 'unavailable':
        return { ok: false, host, step: 'response', reason: 'unavailable', status: outcome.status };
      case 'bad_response':
        return { ok: false, host, step: 'response', reason: 'bad_response' };
      case 'timeout':
        return { ok: false, host, step: 'response', reason: 'timeout' };
      case 'network':
        return { ok: false, host, step: 'response', reason: 'unreachable' };
    }
  } catch (error) {
    return { ok: false, host, ...clientFailure(error) };
  }
}
