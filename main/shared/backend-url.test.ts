import { describe, expect, it } from 'vitest';
import { BackendUrl } from './contract';
import { checkBackendUrl, isLoopbackHostname } from './backend-url';

describe('backend URL policy', () => {
  it.each([
    ['https://orders.example.co.jp', 'https://orders.example.co.jp/'],
    ['https://orders.example.co.jp:8443/api/', 'https://orders.example.co.jp:8443/api/'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010/'],
    ['http://127.8.9.10', 'http://127.8.9.10/'],
    ['http://localhost:4010', 'http://localhost:4010/'],
    ['http://[::1]:1', 'http://[::1]:1/'],
    // Odd spellings of loopback are decided (and stored) as what the parser, and so fetch, makes of them.
    ['http://0x7f.1', 'http://127.0.0.1/'],
    ['http://2130706433', 'http://127.0.0.1/'],
    ['HTTP://LOCALHOST', 'http://localhost/'],
  ])('accepts %s as %s', (text, href) => {
    const check = checkBackendUrl(text);
    expect(check.ok && check.url.href).toBe(href);
  });

  it.each([
    ['http://127.0.0.1.evil.example', '127.0.0.1.evil.example'],
    ['http://localhost.evil', 'localhost.evil'],
    ['http://localhost./', 'localhost.'],
    ['http://127.0.0.1%2eevil.example/', '127.0.0.1.evil.example'],
    ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
    ['http://192.0.2.2:8080', '192.0.2.2'],
    ['http://0.0.0.0:4010', '0.0.0.0'],
    ['http://orders.example.co.jp', 'orders.example.co.jp'],
  ])('refuses plain http to %s (not loopback)', (text, host) => {
    expect(checkBackendUrl(text)).toEqual({ ok: false, code: 'BACKEND_URL_INSECURE', params: { host } });
  });

  it.each([
    ['javascript:alert(1)', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['ftp://orders.example.co.jp', 'scheme'],
    ['data:text/plain,x', 'scheme'],
    ['https://user:pw@orders.example.co.jp', 'credentials'],
    ['https://orders.example.co.jp@evil.example', 'credentials'],
    ['http://127.0.0.1@evil.example', 'credentials'],
    ['http://evil.example@127.0.0.1', 'credentials'],
    ['https://orders.example.co.jp/?api_key=k', 'query'],
    ['https://orders.example.co.jp/?', 'query'],
    ['https://orders.example.co.jp/#x', 'query'],
    ['orders.example.co.jp', 'not_a_url'],
    ['', 'not_a_url'],
    [`https://orders.example.co.jp/${'a'.repeat(2000)}`, 'too_long'],
  ])('refuses %s (%s)', (text, reason) => {
    expect(checkBackendUrl(text)).toEqual({ ok: false, code: 'BACKEND_URL_INVALID', params: { reason } });
  });

  it('knows loopback host names only in their parsed form', () => {
    expect(isLoopbackHostname('127.0.0.1')).toBe(true);
    expect(isLoopbackHostname('[::1]')).toBe(true);
    expect(isLoopbackHostname('127.0.0.1.evil.example')).toBe(false);
    expect(isLoopbackHostname('0x7f.1')).toBe(false);
    expect(isLoopbackHostname('::1')).toBe(false);
  });

  it('is the settings schema of the IPC contract, carrying the policy code', () => {
    expect(BackendUrl.safeParse('https://orders.example.co.jp').success).toBe(true);
    const refused = BackendUrl.safeParse('http://orders.example.co.jp');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ code: 'custom', params: { appError: 'BACKEND_URL_INSECURE' } });
  });
});
