import { EventEmitter } from 'node:events';
import { AppError, type ErrorInfo, toErrorInfo } from '../shared/errors';
import type { Db } from '../store/database';
import type { Simulator } from '../simulator/server';
import { connectBackend } from './backend';
import { DEFAULT_SYNC_SETTINGS, type RunOptions, SyncEngine, type SyncProgress, type SyncSettings, type SyncSummary } from './engine';
import { previewRun, type RunPreview } from './preview';
import { resolveSyncSettings } from './settings';
import { readSetting } from '../store/settings';
import type { FetchLike } from './transport';

/** The per-service limits staff set in Settings, over the given settings (tests pass their own). */
export function withStaffLimits(db: Db, settings: Partial<SyncSettings>): Partial<SyncSettings> {
  const limits = readSetting(db, 'syncLimits', null);
  if (!limits) return settings;
  const services = { ...DEFAULT_SYNC_SETTINGS.services, ...settings.services };
  for (const service of ['orders', 'payments', 'notifications'] as const) {
    const own = limits[service];
    if (own) services[service] = { ...services[service], ...own };
  }
  return { ...settings, services };
}

/** Where a run goes: the built-in simulator (demo mode) or the configured backend's host. */
export interface BackendTarget {
  mode: 'simulator' | 'remote';
  host: string | null;
}

export function backendTarget(db: Db): BackendTarget {
  const url = readSetting(db, 'backendUrl', null);
  if (!url) return { mode: 'simulator', host: null };
  try {
    return { mode: 'remote', host: new URL(url).host };
  } catch {
    return { mode: 'remote', host: url };
  }
}

/** A run that ended in an error: its id (null when it was never recorded, e.g. refused by the lock) and why. */
export interface SyncFailure {
  runId: number | null;
  batchIds: number[];
  error: ErrorInfo;
}

/**
 * One sync run at a time for the app: starts it in the background (the UI never waits on it), relays its
 * progress and its end (`finished` with the summary, `failed` with a SyncFailure), and offers pause, resume
 * and cancel. Uses the configured backend, or the built-in simulator.
 */
export class SyncManager extends EventEmitter {
  private engine: SyncEngine | null = null;
  private sim: Simulator | null = null;
  private last: SyncProgress | null = null;
  private lastSummary: SyncSummary | null = null;
  private lastFailure: SyncFailure | null = null;

  constructor(
    private readonly db: Db,
    private readonly actor: string,
    private readonly settings: Partial<SyncSettings> = {},
    /** The network stack: Electron's net.fetch in the desktop app, Node's by default. */
    private readonly fetch?: FetchLike,
  ) {
    super();
  }

  get running(): boolean {
    return this.engine !== null;
  }

  status(): { running: boolean; progress: SyncProgress | null; summary: SyncSummary | null; failure: SyncFailure | null } {
    return { running: this.running, progress: this.last, summary: this.lastSummary, failure: this.lastFailure };
  }

  /** What a run would take on and where it would go, under the staff's limits (nothing is sent). */
  preview(batchIds: number[], options: Pick<RunOptions, 'retryFailed' | 'notifyOnly'> = {}): RunPreview & { backend: BackendTarget } {
    const settings = resolveSyncSettings(withStaffLimits(this.db, this.settings));
    return { ...previewRun(this.db, batchIds, options, settings), backend: backendTarget(this.db) };
  }

  async start(batchIds: number[], options: Pick<RunOptions, 'retryFailed' | 'notifyOnly'> = {}): Promise<{ started: true }> {
    if (this.engine) throw new AppError('SYNC_ALREADY_RUNNING', {});
    // The built-in simulator is started once and kept for the app's lifetime (state survives runs).
    const settings = withStaffLimits(this.db, this.settings);
    const backend = await connectBackend(this.db, { settings, simulator: this.sim, fetch: this.fetch });
    this.sim ??= backend.simulator;
    const engine = new SyncEngine(this.db, backend.client, backend.settings, this.actor, backend.identity);
    this.engine = engine;
    this.last = null;
    this.lastFailure = null;
    engine.on('progress', (progress: SyncProgress) => {
      this.last = progress;
      this.emit('progress', progress);
    });
    // Runs in the background; the outcome arrives as progress events and in status().
    engine.run(batchIds, options).then(
      (summary) => {
        this.lastSummary = summary;
        this.engine = null;
        this.emit('finished', summary);
      },
      (error: unknown) => {
        // The engine has closed the run in sync_runs and the audit log (unless the lock refused it: then there is no run).
        this.engine = null;
        this.lastFailure = { runId: this.last?.runId || null, batchIds, error: toErrorInfo(error) };
        this.emit('failed', this.lastFailure);
      },
    );
    return { started: true };
  }

  /** Starts a run and resolves with its summary when it ends (the scheduler's way of running). */
  async runToEnd(batchIds: number[]): Promise<SyncSummary> {
    const done = new Promise<SyncSummary>((resolve, reject) => {
      const onFinished = (summary: SyncSummary) => {
        this.off('failed', onFailed);
        resolve(summary);
      };
      const onFailed = ({ error }: SyncFailure) => {
        this.off('finished', onFinished);
        reject(new AppError(error.code, error.params));
      };
      this.once('finished', onFinished);
      this.once('failed', onFailed);
    });
    await this.start(batchIds);
    return done;
  }

  pause(): void {
    this.engine?.pause();
  }

  resume(): void {
    this.engine?.resume();
  }

  cancel(): void {
    this.engine?.cancel();
  }

  async close(): Promise<void> {
    this.engine?.cancel();
    await this.sim?.close();
    this.sim = null;
  }
}
