import type { LookupFunction } from 'node:net';
import { Agent, type Dispatcher, EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';
import { checkBackendUrl, isLoopbackHostname } from '../shared/backend-url';
import { AppError } from '../shared/errors';

/**
 * How the sync client reaches the backend. The client takes any fetch function (the seam): the CLI's is
 * undici with the environment's proxy settings, the desktop app's is Electron's `net.fetch` (Chromium's
 * network stack: system proxy, PAC, OS certificate store). Whatever the fetch, the client applies the same
 * rules: no redirects, a capped body, schemas (see client.ts).
 */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** No backend response the app needs comes near this; a larger one is refused while it streams. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * The checked backend URL for a client, refusing what the transport policy refuses, and certificate checks
 * switched off through the environment unless the backend is on this machine.
 */
export function backendTarget(baseUrl: string, env: NodeJS.ProcessEnv): URL {
  const check = checkBackendUrl(baseUrl);
  if (!check.ok) throw new AppError(check.code, check.params);
  const url = check.url;
  if (env.NODE_TLS_REJECT_UNAUTHORIZED === '0' && !isLoopbackHostname(url.hostname))
    throw new AppError('BACKEND_TLS_CHECKS_DISABLED', { host: url.hostname });
  return url;
}

export interface NodeFetchOptions {
  /** Test seam: resolve names without DNS (e.g. a non-loopback-looking name to 127.0.0.1). */
  lookup?: LookupFunction;
}

/**
 * Node's fetch for the CLI and headless runs: `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` through undici's
 * EnvHttpProxyAgent, extra CA files through `NODE_EXTRA_CA_CERTS` (Node adds them to the default store),
 * certificates always verified. The loopback simulator is reached directly, never through a proxy.
 */
export function nodeFetch(options: NodeFetchOptions = {}): FetchLike {
  const tls = { rejectUnauthorized: true, ...(options.lookup ? { lookup: options.lookup } : {}) };
  const direct: Dispatcher = new Agent({ connect: tls });
  const proxied: Dispatcher = new EnvHttpProxyAgent({ connect: tls, requestTls: tls });
  return (url, init) => {
    const dispatcher = isLoopbackHostname(new URL(url).hostname) ? direct : proxied;
    // undici's own Request/Response types differ from the DOM ones in name only.
    return undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher }) as unknown as Promise<Response>;
  };
}

let shared: FetchLike | null = null;
/** One connection pool per process for clients built without their own fetch. */
export function defaultFetch(): FetchLike {
  shared ??= nodeFetch();
  return shared;
}

/** A body read up to `maxBytes`; a longer one is cancelled while it streams (the rest is never read). */
export async function readCapped(response: Response, maxBytes = MAX_RESPONSE_BYTES): Promise<{ text: string } | { tooLarge: true }> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return { tooLarge: true };
  }
  if (!response.body) return { text: '' };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { tooLarge: true };
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8') };
}

/** What a failed fetch (no response, or a body cut off) came to. */
export type FetchFailure = { kind: 'tls' } | { kind: 'redirect' } | { kind: 'timeout' } | { kind: 'network'; sent: boolean };

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Chromium's (net.fetch) names for the same failures. */
const NOT_SENT_CHROMIUM =
  /net::ERR_(CONNECTION_REFUSED|NAME_NOT_RESOLVED|INTERNET_DISCONNECTED|ADDRESS_UNREACHABLE|NETWORK_CHANGED|PROXY_CONNECTION_FAILED)/;
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|EPROTO$)|CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|HOSTNAME_MISMATCH/;
const TLS_CHROMIUM = /net::ERR_(CERT_|SSL_|BAD_SSL)/;

/** Classifies by the error's chain of causes: codes from Node and undici, messages from Chromium. */
export function classifyFetchError(error: unknown): FetchFailure {
  const codes: string[] = [];
  const names: string[] = [];
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth += 1) {
    const e = current as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === 'string') codes.push(e.code);
    if (typeof e.name === 'string') names.push(e.name);
    if (typeof e.message === 'string') messages.push(e.message);
    current = e.cause;
  }
  const text = messages.join(' | ');
  if (codes.some((c) => TLS_CODE.test(c)) || TLS_CHROMIUM.test(text)) return { kind: 'tls' };
  if (/redirect/i.test(text)) return { kind: 'redirect' };
  if (names.includes('TimeoutError') || names.includes('AbortError')) return { kind: 'timeout' };
  return { kind: 'network', sent: !(codes.some((c) => NOT_SENT.has(c)) || NOT_SENT_CHROMIUM.test(text)) };
}
