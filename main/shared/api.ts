import type { Result } from './errors';
import type { EventName, EventPayload, ImportFile, Input, Output, PageMethod } from './contract';

/**
 * The shape of `window.api`: one named function per channel, returning the result as data
 * (Electron drops custom error fields across invoke, so error codes travel in the value).
 */
export type Api = {
  [M in PageMethod]: Input<M> extends undefined ? () => Promise<Result<Output<M>>> : (input: Input<M>) => Promise<Result<Output<M>>>;
} & {
  /** Subscribe to a push event from main; returns the unsubscribe function. */
  readonly on: { [E in EventName]: (listener: (payload: EventPayload<E>) => void) => () => void };
  /**
   * Hands a File from a real drop to main, which answers with a file id. The path never enters the page: the
   * preload reads it from the File (Electron's webUtils). null when the File has no path on disk (one made
   * in script, or a browser without webUtils): then nothing is sent.
   */
  readonly registerDroppedFile: (file: File) => Promise<Result<ImportFile> | null>;
};

/** What carries calls and events: `ipcRenderer` in Electron, a Playwright binding in tests. */
export interface Transport {
  invoke(channel: string, input: unknown): Promise<unknown>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
  /** The path on disk of a File from a drop or a file input; '' (or absent) where there is none. Preload only. */
  filePath?(file: File): string;
}
