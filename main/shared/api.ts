import type { Result } from './errors';
import type { EventName, EventPayload, Input, Method, Output } from './contract';

/**
 * The shape of `window.api`: one named function per channel, returning the result as data
 * (Electron drops custom error fields across invoke, so error codes travel in the value).
 */
export type Api = {
  [M in Method]: Input<M> extends undefined ? () => Promise<Result<Output<M>>> : (input: Input<M>) => Promise<Result<Output<M>>>;
} & {
  /** Subscribe to a push event from main; returns the unsubscribe function. */
  readonly on: { [E in EventName]: (listener: (payload: EventPayload<E>) => void) => () => void };
  /** The path of a file dropped on the window (Electron's webUtils), to hand to addDroppedFile; null where unknown. */
  readonly filePath: (file: File) => string | null;
};

/** What carries calls and events: `ipcRenderer` in Electron, a Playwright binding in tests. */
export interface Transport {
  invoke(channel: string, input: unknown): Promise<unknown>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
  filePath?(file: File): string;
}
