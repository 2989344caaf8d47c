import type { ErrorInfo } from '../shared/errors';
import type { StoreKey } from '../store/key';
import type { ImportProgress } from './progress';
import type { EncodingOption } from './reader';
import type { ImportOptions, ImportResult } from './stage';
import type { ReadResult } from './types';

/**
 * What main and its import worker say to each other. One cell of shared memory carries the job's state, so a
 * cancel reaches the worker in the middle of its (synchronous) import loop, and main knows whether the worker
 * has opened its store connection yet.
 */
export const STATE = {
  /** Reading the file; no store connection yet: a cancel may simply stop the thread. */
  reading: 0,
  /** The worker holds a store connection: a cancel is a request it answers by rolling back. */
  staging: 1,
  cancelled: 2,
} as const;

export interface ImportJobData {
  /** Int32Array over a SharedArrayBuffer: [STATE]. */
  state: SharedArrayBuffer;
  /** The native SQLite module to load (in a packaged app: its copy unpacked beside app.asar). */
  sqliteModule: string;
  store: { path: string; key: StoreKey; pageSize: number; busyTimeoutMs: number; backgroundCheckpoints: boolean };
  /** The file: what a preview read of it, or its path for the worker to read. */
  file: { fileName: string; path: string; encoding: EncodingOption; cached: { bytes: Uint8Array; read: ReadResult } | null };
  choices: Pick<ImportOptions, 'sheet' | 'headerRow' | 'template' | 'overrides' | 'saveTemplateAs'>;
  actor: string;
  progressIntervalMs: number;
}

/** An import's outcome as the worker sends it back: the issues counted, not copied across threads. */
export type WorkerImportResult = Omit<ImportResult, 'errors'> & { errorCount: number };

export type WorkerMessage =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; result: WorkerImportResult }
  | { type: 'cancelled'; linesRead: number; linesTotal: number }
  | { type: 'failed'; error: ErrorInfo };
