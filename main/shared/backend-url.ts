/**
 * Which backend URLs the app will talk to: the one transport policy, used by the CLI (`backend set`,
 * `sync --backend`), the IPC contract's settings schema and the sync client. Plain code with no Node
 * imports, so the renderer's copy of the contract checks exactly the same thing.
 *
 * Every decision is made on the WHATWG-parsed URL (the host fetch will connect to), never on the typed
 * string: `http://127.0.0.1.evil.example` is a domain, `http://0x7f.1` is 127.0.0.1.
 */

export type BackendUrlProblem = 'BACKEND_URL_INVALID' | 'BACKEND_URL_INSECURE';

export type BackendUrlCheck = { ok: true; url: URL } | { ok: false; code: BackendUrlProblem; params: Record<string, string> };

export const BACKEND_URL_MAX_LENGTH = 2000;

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * True for the loopback interface only: 127.0.0.0/8, ::1 and the name `localhost` (which resolvers and
 * the WHATWG spec keep on loopback). `hostname` must come from a parsed URL, where IPv4 is already in
 * dotted decimal and IPv6 in brackets and compressed.
 */
export function isLoopbackHostname(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || IPV4_LOOPBACK.test(hostname);
}

/**
 * `https:` to anywhere, `http:` only to loopback (the simulator); no credentials, query or fragment.
 * The accepted URL is the parsed one: store and use `url.href`, not the typed text.
 */
export function checkBackendUrl(text: string): BackendUrlCheck {
  const invalid = (reason: string): BackendUrlCheck => ({ ok: false, code: 'BACKEND_URL_INVALID', params: { reason } });
  if (text.length > BACKEND_URL_MAX_LENGTH) return invalid('too_long');
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return invalid('not_a_url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return invalid('scheme');
  if (url.username !== '' || url.password !== '') return invalid('credentials');
  // An empty `?` or `#` parses to '' but still shows something was appended: refuse it too.
  if (url.search !== '' || url.hash !== '' || url.href.includes('?') || url.href.includes('#')) return invalid('query');
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname))
    return { ok: false, code: 'BACKEND_URL_INSECURE', params: { host: url.hostname } };
  return { ok: true, url };
}

/** The origin of an acceptable backend URL (where its stored secret may go); null for any other text. */
export function backendOrigin(text: string): string | null {
  const check = checkBackendUrl(text);
  return check.ok ? check.url.origin : null;
}
