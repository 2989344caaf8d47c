import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DispatchLog } from '../handlers/dispatch';
import type { SyncManager } from '../sync/manager';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
/** A fact in a log line: counts and ids, flags, and codes. Never free text. */
export type LogFact = number | boolean | null | string;

/** Where lines go: electron-log's rotating file in the desktop app, a temp file or an array in tests. */
export type LogSink = (level: LogLevel, line: string) => void;

export interface Logger {
  error(event: string, facts?: Record<string, LogFact>): void;
  warn(event: string, facts?: Record<string, LogFact>): void;
  info(event: string, facts?: Record<string, LogFact>): void;
}

/**
 * Text a log line may hold: an error code (`SYNC_AUTH_FAILED`), a dotted or colon-separated event or channel
 * name (`sync.finished`, `batches:list`), or one of the process words Electron reports. Anything else (a name,
 * an email, a token, a path, a message) is written as `[redacted]`, so a careless call cannot leak personal data.
 */
const CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
const NAME = /^[a-z][a-zA-Z0-9]*(?:[.:][a-z][a-zA-Z0-9-]*)+$/;
const WORDS = new Set([
  // Electron's render-process-gone / child-process-gone reasons and process types.
  'clean-exit',
  'abnormal-exit',
  'killed',
  'crashed',
  'oom',
  'launch-failed',
  'integrity-failure',
  'memory-eviction',
  'Utility',
  'GPU',
  'Zygote',
  'Sandbox helper',
  'Pepper Plugin',
  'Pepper Plugin Broker',
  'Unknown',
  'renderer',
  // Platforms and sync outcomes.
  'win32',
  'darwin',
  'linux',
  'finished',
  'cancelled',
]);

export const REDACTED = '[redacted]';

export function safeText(value: string): string {
  return CODE.test(value) || NAME.test(value) || WORDS.has(value) ? value : REDACTED;
}

function formatFact(value: LogFact): string {
  if (typeof value === 'string') return safeText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : REDACTED;
  return String(value);
}

/** One line: `event key=value …`; the sink adds time and level. Keys are code-chosen names, checked like values. */
export function formatLine(event: string, facts: Record<string, LogFact> = {}): string {
  const parts = [safeText(event)];
  for (const [key, value] of Object.entries(facts))
    parts.push(`${/^[a-zA-Z][a-zA-Z0-9_]*$/.test(key) ? key : 'fact'}=${formatFact(value)}`);
  return parts.join(' ');
}

export function createLogger(sink: LogSink): Logger {
  const at = (level: LogLevel) => (event: string, facts?: Record<string, LogFact>) => sink(level, formatLine(event, facts));
  return { error: at('error'), warn: at('warn'), info: at('info') };
}

/** A plain file sink (tests; the shell uses electron-log's rotating file instead). */
export function fileSink(path: string, now: () => Date = () => new Date()): LogSink {
  mkdirSync(dirname(path), { recursive: true });
  return (level, line) => appendFileSync(path, `[${now().toISOString()}] [${level}] ${line}\n`, { mode: 0o600 });
}

/** The IPC dispatcher's failures: channel and code only (messages and inputs may hold personal data). */
export function dispatchLog(log: Logger): DispatchLog {
  return { error: (channel, info) => log.warn('ipc.failed', { channel, code: info.code }) };
}

/** Logs each sync run's start, end and failure: ids, counts and codes. Returns the unsubscribe. */
export function logSyncRuns(sync: SyncManager, log: Logger): () => void {
  let started = 0;
  const onProgress = (progress: { runId: number }) => {
    if (progress.runId && progress.runId !== started) {
      started = progress.runId;
      log.info('sync.started', { run: progress.runId });
    }
  };
  const onFinished = (summary: {
    run_id: number;
    outcome: string;
    batch_ids: number[];
    orders: { done: number; failed: number; needs_review: number; remaining: number };
    duration_s: number;
  }) =>
    log.info('sync.finished', {
      run: summary.run_id,
      outcome: summary.outcome,
      batches: summary.batch_ids.length,
      done: summary.orders.done,
      failed: summary.orders.failed,
      review: summary.orders.needs_review,
      remaining: summary.orders.remaining,
      seconds: summary.duration_s,
    });
  const onFailed = (failure: { runId: number | null; error: { code: string } }) =>
    log.error('sync.failed', { run: failure.runId, code: failure.error.code });
  sync.on('progress', onProgress);
  sync.on('finished', onFinished);
  sync.on('failed', onFailed);
  return () => {
    sync.off('progress', onProgress);
    sync.off('finished', onFinished);
    sync.off('failed', onFailed);
  };
}
