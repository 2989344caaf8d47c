import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { AppError, toErrorInfo } from '../shared/errors';
import { type Db, keyPragmas, tuneConnection } from '../store/database';
import { ProgressThrottle } from './progress';
import { readSpreadsheet } from './reader';
import { readImportFile } from './source';
import { importFile } from './stage';
import { type ImportJobData, STATE, type WorkerMessage } from './worker-protocol';

/**
 * The import worker's thread (bundled as out/main/import-worker.js): reads the file (or takes the rows a
 * preview read), then opens its own connection to the store and runs the one import code path — the
 * command line's — with progress and cancel hooks. Main's thread stays free for every other call.
 */

const job = workerData as ImportJobData;
const state = new Int32Array(job.state);
const post = (message: WorkerMessage) => parentPort?.postMessage(message);

function connect(): Db {
  const { path, key, pageSize, busyTimeoutMs, backgroundCheckpoints } = job.store;
  const Database = createRequire(__filename)(job.sqliteModule) as typeof BetterSqlite3;
  const db = new Database(path, { fileMustExist: true, timeout: busyTimeoutMs });
  try {
    for (const pragma of keyPragmas(key, pageSize)) db.pragma(pragma);
    tuneConnection(db);
    // The checkpoint worker copies the WAL into the file; without it, this commit checkpoints as main's would.
    if (backgroundCheckpoints) db.pragma('wal_autocheckpoint=0');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function run(): void {
  const throttle = new ProgressThrottle((progress) => post({ type: 'progress', progress }), job.progressIntervalMs);
  throttle.reading();
  const { file } = job;
  const bytes = file.cached?.bytes ?? readImportFile(file.path, file.fileName);
  const read = file.cached?.read ?? readSpreadsheet(file.fileName, bytes, { encoding: file.encoding });
  // From here on the thread holds a connection: main no longer stops it, it asks (and this rolls back).
  if (Atomics.compareExchange(state, 0, STATE.reading, STATE.staging) !== STATE.reading) {
    post({ type: 'cancelled', linesRead: 0, linesTotal: 0 });
    return;
  }
  let linesRead = 0;
  let linesTotal = 0;
  const db = connect();
  try {
    const result = importFile(db, {
      fileName: file.fileName,
      bytes,
      read,
      encoding: file.encoding,
      ...job.choices,
      actor: job.actor,
      hooks: {
        progress: (done, total) => {
          linesRead = done;
          linesTotal = total;
          throttle.staging(done, total);
        },
        cancelled: () => Atomics.load(state, 0) === STATE.cancelled,
      },
    });
    db.close();
    const { errors, ...rest } = result;
    post({ type: 'done', result: { ...rest, errorCount: errors.length } });
  } catch (error) {
    // The import's transaction is rolled back by now: nothing of the batch is in the store.
    if (db.open) db.close();
    if (error instanceof AppError && error.code === 'IMPORT_CANCELLED') post({ type: 'cancelled', linesRead, linesTotal });
    else throw error;
  }
}

try {
  run();
} catch (error) {
  // Codes only cross (SQLITE_BUSY past the busy timeout is STORE_BUSY; anything unknown INTERNAL).
  post({ type: 'failed', error: toErrorInfo(error) });
}
