import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppAsset } from './assets';

const root = resolve('/opt/order-stager/renderer');

describe('resolveAppAsset', () => {
  it('maps app:// URLs to files inside the renderer folder', () => {
    expect(resolveAppAsset(root, 'app://order-stager/')).toEqual({ path: join(root, 'index.html'), mimeType: 'text/html; charset=utf-8' });
    expect(resolveAppAsset(root, 'app://order-stager/assets/index-1a2b.js')?.path).toBe(join(root, 'assets', 'index-1a2b.js'));
    expect(resolveAppAsset(root, 'app://order-stager/assets/index.css?v=1#x')?.mimeType).toBe('text/css; charset=utf-8');
  });

  it.each([
    'app://order-stager/../../etc/passwd',
    'app://order-stager/%2e%2e/%2e%2e/etc/passwd',
    'app://order-stager/assets/%2e%2e%2f%2e%2e%2fsecret.js',
    'app://order-stager/..%5c..%5cwindows%5cwin.ini',
    'app://order-stager/index.html%00.js',
    'app://order-stager/%E0%A4%A',
    'app://evil/index.html',
    'https://order-stager/index.html',
    'app://order-stager/secret.db',
    'app://order-stager/assets',
  ])('rejects %s', (url) => {
    expect(resolveAppAsset(root, url)).toBeNull();
  });
});
