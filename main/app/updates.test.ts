import { describe, expect, it } from 'vitest';
import { updateFeed } from './updates';

describe('update feed', () => {
  it('is off without a saved URL and in development runs', () => {
    expect(updateFeed(null, true)).toBeNull();
    expect(updateFeed('https://updates.example.jp/order-stager', false)).toBeNull();
  });

  it('uses the saved https URL with the generic provider, and refuses plain http to another machine', () => {
    expect(updateFeed('https://updates.example.jp/order-stager', true)).toEqual({
      provider: 'generic',
      url: 'https://updates.example.jp/order-stager',
      channel: 'latest',
    });
    expect(updateFeed('http://updates.example.jp/order-stager', true)).toBeNull();
    expect(updateFeed('https://user:pass@updates.example.jp/', true)).toBeNull();
    expect(updateFeed('http://127.0.0.1:8080/feed', true)?.url).toBe('http://127.0.0.1:8080/feed');
  });
});
