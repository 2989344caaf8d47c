import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '../shared/errors';
import { sqliteModulePath } from '../store/checkpoints';
import type { ImportProgress } from './progress';
import { type ImportJobData, STATE, type WorkerImportResult, type WorkerMessage } from './worker-protocol';

/** What an import job needs: everything but its shared state and the native module's path (added here). */
export type ImportJobRequest = Omit<ImportJobData, 'state' | 'sqliteModule' | 'progressIntervalMs'>;

export type ImportJobOutcome =
  | { status: 'done'; result: WorkerImportResult }
  | { status: 'cancelled'; linesRead: number; linesTotal: number };

/**
 * The worker's script. Built app (electron-vite) and benchmark bundle: import-worker.js beside the bundle
 * that holds this code. From source (vitest, tsx): the TypeScript entry, compiled on load by tsx's require hook.
 */
function spawn(workerData: ImportJobData): Worker {
  const bundled = [join(__dirname, 'import-worker.js'), join(__dirname, '..', 'import-worker.js')].find((path) => existsSync(path));
  if (bundled) return new Worker(bundled, { workerData });
  const require = createRequire(__filename);
  const source = [
    `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();`,
    `require(${JSON.stringify(join(__dirname, 'worker-thread.ts'))});`,
  ].join('\n');
  return new Worker(source, { eval: true, workerData });
}

/**
 * Imports run in a worker thread, one at a time (main/import/worker-thread.ts): main's thread only starts the
 * job, relays its progress ('progress' events, a few a second) and asks it to stop. A cancel before the worker
 * has opened the store stops the thread; after, the worker rolls its transaction back and says so.
 */
export class ImportWorkers extends EventEmitter<{ progress: [ImportProgress] }> {
  private current: { cancel(): boolean } | null = null;

  constructor(private readonly progressIntervalMs = 200) {
    super();
  }

  get running(): boolean {
    return this.current !== null;
  }

  async run(request: ImportJobRequest): Promise<ImportJobOutcome> {
    if (this.current) throw new AppError('IMPORT_IN_PROGRESS', {});
    const state = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const worker = spawn({
      ...request,
      state: state.buffer,
      sqliteModule: sqliteModulePath(),
      progressIntervalMs: this.progressIntervalMs,
    });
    let terminated = false;
    this.current = {
      cancel: () => {
        const before = Atomics.compareExchange(state, 0, STATE.reading, STATE.cancelled);
        if (before === STATE.reading) {
          // No store connection in the thread yet: nothing to roll back, nothing left open.
          terminated = true;
          void worker.terminate();
        } else if (before === STATE.staging) Atomics.store(state, 0, STATE.cancelled);
        return true;
      },
    };
    try {
      return await new Promise<ImportJobOutcome>((resolve, reject) => {
        worker.on('message', (message: WorkerMessage) => {
          if (message.type === 'progress') this.emit('progress', message.progress);
          else if (message.type === 'done') resolve({ status: 'done', result: message.result });
          else if (message.type === 'cancelled')
            resolve({ status: 'cancelled', linesRead: message.linesRead, linesTotal: message.linesTotal });
          else reject(new AppError(message.error.code, message.error.params));
        });
        // The script could not load, or the thread ran out of memory: no detail crosses (it may hold data).
        worker.on('error', () => reject(new AppError('INTERNAL', {})));
        worker.on('exit', () => {
          if (terminated) resolve({ status: 'cancelled', linesRead: 0, linesTotal: 0 });
          else reject(new AppError('INTERNAL', {}));
        });
      });
    } finally {
      this.current = null;
    }
  }

  /** Asks the running import to stop; false when none is running. */
  cancel(): boolean {
    return this.current?.cancel() ?? false;
  }
}
