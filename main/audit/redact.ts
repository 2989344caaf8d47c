/** An absolute URL anywhere in a text (scheme, then //, up to white space): credentials, query or fragment may follow. */
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/\S*/gi;

/**
 * A URL as the audit log may keep it: scheme, host, port and path. Credentials (user:password@), the query
 * (?api_key=…) and the fragment are dropped; a value that does not parse keeps only its scheme.
 */
export function auditableUrl(value: string): string {
  try {
    const url = new URL(value.trim());
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return `${value.trim().split(':')[0]}://(redacted)`;
  }
}

/**
 * Details as they go into the append-only log: every URL in a text is reduced by auditableUrl, so a
 * caller that passes a backend URL as typed cannot put a secret into an entry that can never be removed.
 */
export function redactDetails<T extends Record<string, string | number | boolean | null>>(details: T): T {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(details))
    out[key] = typeof value === 'string' ? value.replace(URL_IN_TEXT, auditableUrl) : value;
  return out as T;
}
