import { describe, expect, it } from 'vitest';
import { isAllowedNavigation, isAppUrl, isSafeExternalUrl, isTrustedSender } from './urls';

describe('isAppUrl / isAllowedNavigation', () => {
  it('accepts the app itself', () => {
    expect(isAppUrl('app://order-stager/index.html')).toBe(true);
    expect(isAppUrl('app://order-stager/assets/index-abc.js')).toBe(true);
    expect(isAllowedNavigation('app://order-stager/index.html#/batches')).toBe(true);
  });

  it.each([
    'app://order-stager.evil.com/index.html',
    'app://evil.com/order-stager/index.html',
    'app://order-stager@evil.com/index.html',
    'app://user:pass@order-stager/index.html',
    'app://order-stager:8080/index.html',
    'https://order-stager/index.html',
    'file:///order-stager/index.html',
    'https://evil.com/app://order-stager/',
    'javascript:alert(1)//app://order-stager/',
    'data:text/html,<script>app://order-stager</script>',
    'about:blank',
    '',
    'app:/\\evil.com',
    'not a url',
  ])('rejects the misleading %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(false);
    expect(isTrustedSender(url)).toBe(false);
  });

  it('allows the dev server only on loopback and only in development', () => {
    expect(isAllowedNavigation('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAllowedNavigation('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isAllowedNavigation('http://localhost.evil.com:5173/', 'http://localhost:5173')).toBe(false);
    expect(isAllowedNavigation('http://evil.com:5173/', 'http://evil.com:5173')).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173/')).toBe(false);
  });

  it('does not trust a sender without a frame URL', () => {
    expect(isTrustedSender(undefined)).toBe(false);
  });
});

describe('isSafeExternalUrl', () => {
  const hosts = ['docs.example.jp'];
  it('allows only https to listed hosts', () => {
    expect(isSafeExternalUrl('https://docs.example.jp/help', hosts)).toBe(true);
    expect(isSafeExternalUrl('http://docs.example.jp/help', hosts)).toBe(false);
    expect(isSafeExternalUrl('https://docs.example.jp.evil.com/', hosts)).toBe(false);
    expect(isSafeExternalUrl('https://docs.example.jp@evil.com/', hosts)).toBe(false);
    expect(isSafeExternalUrl('https://user@docs.example.jp/', hosts)).toBe(false);
    expect(isSafeExternalUrl('file:///C:/Windows/System32/calc.exe', hosts)).toBe(false);
    expect(isSafeExternalUrl('smb://docs.example.jp/share', hosts)).toBe(false);
    expect(isSafeExternalUrl('javascript:alert(1)', hosts)).toBe(false);
  });
});
