import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Db } from './database';

/**
 * WAL checkpoints in a worker thread.
 *
 * A commit only appends pages to the write-ahead log; a checkpoint later copies them into the database file.
 * SQLite runs that checkpoint inside whichever commit crosses `wal_autocheckpoint` pages, on the calling
 * thread: after a 100,000-line import that is ~40 MB copied and fsynced (~0.3 s) before the import can
 * return, with the Electron main process blocked. Here a worker thread with its own connection runs
 * PASSIVE checkpoints (they never block readers or writers) when asked and every `intervalMs`, and the
 * main connection's automatic checkpoints are off while the worker is alive. If the worker cannot start or
 * dies, automatic checkpoints are switched back on: nothing depends on the worker for correctness.
 */

/** Worker source (plain CommonJS, evaluated): kept small; it only opens the store and checkpoints. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const state = new Int32Array(workerData.state);
const [STOP, CLOSED] = [0, 1];
let db = null;
let timer = null;
let last = '';
const codeOf = (error) => String((error && error.code) || 'CHECKPOINT_FAILED');
function close() {
  if (timer) clearInterval(timer);
  timer = null;
  try { if (db) db.close(); } catch {}
  db = null;
  Atomics.store(state, CLOSED, 1);
  Atomics.notify(state, CLOSED);
}
function checkpoint(request) {
  if (!db || Atomics.load(state, STOP)) return;
  try {
    const started = performance.now();
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    // Unasked checkpoints are reported only when they moved something.
    const now = result.log + '/' + result.checkpointed;
    const moved = now !== last && result.checkpointed > 0;
    last = now;
    if (request !== null || moved)
      parentPort.postMessage({ type: 'checkpoint', request, ms: performance.now() - started, walFrames: result.log, checkpointed: result.checkpointed, busy: result.busy === 1 });
  } catch (error) {
    parentPort.postMessage({ type: 'error', code: codeOf(error) });
  }
}
parentPort.on('message', (message) => {
  if (message === 'stop') close();
  else if (typeof message === 'number') checkpoint(message);
});
try {
  const Database = require(workerData.modulePath);
  db = new Database(workerData.path, { fileMustExist: true });
  for (const pragma of workerData.pragmas) db.pragma(pragma);
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  db.pragma('wal_autocheckpoint=0');
  timer = setInterval(() => checkpoint(null), workerData.intervalMs);
  parentPort.postMessage({ type: 'ready' });
} catch (error) {
  // Closed first: main hands checkpoints back to SQLite on this error only once it sees the CLOSED flag.
  close();
  parentPort.postMessage({ type: 'error', code: codeOf(error) });
}
`;

/** SQLite's default: a checkpoint once the WAL holds this many pages. Restored when the worker is gone. */
const AUTOCHECKPOINT_PAGES = 1000;
const [STOP, CLOSED] = [0, 1];

export interface CheckpointReport {
  ms: number;
  /** Frames in the WAL, and how many of them are now in the database file. */
  walFrames: number;
  checkpointed: number;
  /** Another connection's lock kept it from finishing; the next one will. */
  busy: boolean;
}

export interface BackgroundCheckpointOptions {
  /** The store file, and the pragmas that open it (cipher, page size, key) — as the main connection did. */
  path: string;
  pragmas: readonly string[];
  /** How often the worker checkpoints on its own (ms). */
  intervalMs?: number;
  /** Told after each requested checkpoint, and after each unasked one that moved pages. */
  onCheckpoint?: (report: CheckpointReport) => void;
  /** Told the code of a checkpoint that failed (the desktop app's log); the console by default. */
  onError?: (code: string) => void;
}

/** Where the native SQLite module is, for the worker (in a packaged app: its unpacked copy beside app.asar). */
export function sqliteModulePath(): string {
  const resolved = createRequire(__filename).resolve('better-sqlite3-multiple-ciphers');
  const unpacked = resolved.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
  return unpacked !== resolved && existsSync(unpacked) ? unpacked : resolved;
}

export class BackgroundCheckpoints {
  private readonly worker: Worker;
  private readonly state = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  private alive = true;
  /** Requests waiting for their checkpoint, by request number (the worker echoes it). */
  private readonly waiters = new Map<number, (report: CheckpointReport | null) => void>();
  private requests = 0;
  /** Resolves true once the worker has opened the store, false if it could not. */
  readonly ready: Promise<boolean>;

  constructor(
    private readonly db: Db,
    options: BackgroundCheckpointOptions,
  ) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        state: this.state.buffer,
        modulePath: sqliteModulePath(),
        path: options.path,
        pragmas: options.pragmas,
        intervalMs: options.intervalMs ?? 1000,
      },
    });
    // A helper, not a reason to keep the process alive (CLI, tests).
    this.worker.unref();
    this.db.pragma('wal_autocheckpoint=0');
    let settle: (ok: boolean) => void = () => {};
    this.ready = new Promise((resolve) => {
      settle = resolve;
    });
    this.worker.on('message', (message: { type: string; request?: number | null; code?: string } & Partial<CheckpointReport>) => {
      if (message.type === 'ready') settle(true);
      else if (message.type === 'checkpoint') {
        const report: CheckpointReport = {
          ms: message.ms ?? 0,
          walFrames: message.walFrames ?? 0,
          checkpointed: message.checkpointed ?? 0,
          busy: message.busy ?? false,
        };
        options.onCheckpoint?.(report);
        const waiter = typeof message.request === 'number' ? this.waiters.get(message.request) : undefined;
        if (waiter) {
          this.waiters.delete(message.request as number);
          waiter(report);
        }
      } else if (message.type === 'error') {
        // Codes only (SQLITE_BUSY, SQLITE_NOTADB...): no paths or data in the log.
        if (options.onError) options.onError(message.code ?? 'UNKNOWN');
        else console.warn(`[order-stager] background checkpoint: ${message.code}`);
        if (Atomics.load(this.state, CLOSED)) this.fallBack();
        settle(false);
      }
    });
    this.worker.on('error', () => {
      this.fallBack();
      settle(false);
    });
    this.worker.on('exit', () => {
      this.fallBack();
      settle(false);
    });
  }

  /** Checkpoints as soon as the worker is free; resolves with what that checkpoint did (null if the worker is gone). */
  request(): Promise<CheckpointReport | null> {
    if (!this.alive) return Promise.resolve(null);
    this.requests += 1;
    const request = this.requests;
    return new Promise((resolve) => {
      this.waiters.set(request, resolve);
      this.worker.postMessage(request);
    });
  }

  /**
   * Stops the worker and closes its connection before returning (the store file may be replaced right after,
   * as a restore does): waits for a checkpoint in progress to finish. Automatic checkpoints come back on.
   */
  stop(timeoutMs = 10_000): void {
    if (!this.alive) return;
    Atomics.store(this.state, STOP, 1);
    this.worker.postMessage('stop');
    // The worker's own event loop closes its connection, after a checkpoint in progress; this thread waits for the flag.
    Atomics.wait(this.state, CLOSED, 0, timeoutMs);
    this.fallBack();
    void this.worker.terminate();
  }

  private fallBack(): void {
    if (!this.alive) return;
    this.alive = false;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint=${AUTOCHECKPOINT_PAGES}`);
    for (const waiter of this.waiters.values()) waiter(null);
    this.waiters.clear();
  }
}
