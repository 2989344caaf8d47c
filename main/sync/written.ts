import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';

/**
 * When a call's request really went out on the socket, for the rate limiter (limits.ts). Between the limiter's
 * grant and the write, undici's fetch takes several turns of the event loop; on a busy machine the app's other
 * work (the store, progress) runs in between and the write comes up to half a second later (measured: 99th
 * percentile 127 ms, worst 543 ms with four busy processes on two cores). Counted from the grant, such a call
 * looks older than it is at the backend, and the limiter lets the next window's calls go too early: 429s.
 *
 * undici publishes the request's creation (synchronously inside fetch's dispatch, so in the caller's async
 * context) and the end of its write (headers and body handed to the socket: fetch streams even a small body, so
 * the headers alone may wait) on diagnostics channels; a call made inside `reportingWrite` hears of its own write. A fetch that publishes nothing (Electron's net.fetch hands the request to Chromium's network
 * service at once) reports nothing, and the limiter keeps the dispatch time.
 */
type OnWritten = (at: number) => void;

const current = new AsyncLocalStorage<OnWritten>();
const requests = new WeakMap<object, OnWritten>();

interface UndiciMessage {
  request: object;
}

subscribe('undici:request:create', (message) => {
  const onWritten = current.getStore();
  if (onWritten) requests.set((message as UndiciMessage).request, onWritten);
});
subscribe('undici:request:bodySent', (message) => {
  // Every request of the call reports, the last one last (a token fetched first, then the call itself).
  requests.get((message as UndiciMessage).request)?.(performance.now());
});

/** Runs `call`; `onWritten` hears when each request it makes is written to the socket (performance.now() time). */
export function reportingWrite<T>(onWritten: OnWritten, call: () => Promise<T>): Promise<T> {
  return current.run(onWritten, call);
}
