/// <reference lib="dom" />
/**
 * Entry for the browser test harness: the same createApi as the Electron preload, over a transport the
 * test installs on `window.__orderStagerTransport` (Playwright bindings to the real main-process handlers).
 */
import type { Transport } from '../main/shared/api';
import { createApi } from './api';

declare global {
  interface Window {
    __orderStagerTransport: Transport;
  }
}

Object.defineProperty(window, 'api', { value: createApi(window.__orderStagerTransport), writable: false, configurable: false });
