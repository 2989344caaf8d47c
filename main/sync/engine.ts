import { EventEmitter } from 'node:events';
import { appendAudit } from '../audit/log';
import { AppError, toErrorInfo } from '../shared/errors';
import type { Db } from '../store/database';
import { insertSyncRun } from '../store/sync-runs';
import { Admission, Cancelled } from './admission';
import type { BackendClient, Service } from './client';
import { healOrder } from './heal';
import { buildProgress, buildSummary, type RunView, type SyncProgress, type SyncSummary } from './progress';
import { closeRun, type RunRecord } from './run-record';
import { resolveSyncSettings, type SyncSettings } from './settings';
import {
  enqueue,
  type OrderPayloads,
  payloadsFor,
  parkPurged,
  pendingOrders,
  requeueFailed,
  reviewOrders,
  type StateCounts,
  type SyncOrder,
  stateCounts,
} from './state';
import { acquireSyncLock } from './lock';
import { Steps } from './steps';

export type { ServiceProgress, SyncProgress, SyncSummary } from './progress';
export { DEFAULT_SYNC_SETTINGS, type ServiceSettings, type SyncSettings } from './settings';

export interface RunOptions {
  /** Put failed orders back in line first (orders in review are looked up again on every run anyway). */
  retryFailed?: boolean;
  /** Only settle what is open: orders in review and calls a crash left in flight; start nothing new. */
  reconcileOnly?: boolean;
  /** Only send the notifications of paid orders (after a cancel): never create or pay an order. */
  notifyOnly?: boolean;
}

/**
 * Drives orders through Order -> Payment -> Notification. Each order has its own durable state machine
 * (steps.ts); different orders are at different steps at once; each service has its own rate limit,
 * concurrency limit, timeout and circuit breaker (admission.ts). A run first looks up the orders left in
 * review (heal.ts), then works the queue; progress and ETA are in progress.ts.
 */
export class SyncEngine extends EventEmitter {
  private readonly admission: Admission;
  private readonly steps: Steps;
  private readonly settings: SyncSettings;
  private startedAt = 0;
  private runId = 0;
  private batchIds: number[] = [];
  private counts: StateCounts | null = null;

  constructor(
    private readonly db: Db,
    private readonly client: BackendClient,
    settings: Partial<SyncSettings> = {},
    private readonly actor = 'system',
    /** The backend identity (OAuth client id) recorded with the run in the audit log. */
    private readonly backendIdentity: string | null = null,
  ) {
    super();
    this.settings = resolveSyncSettings(settings);
    this.admission = new Admission(client, this.settings);
    this.steps = new Steps(db, client, this.admission, this.settings);
  }

  /** When the rate limiter let calls to a service go (most recent 10,000). */
  sendTimes(service: Service): readonly number[] {
    return this.admission.gates[service].bucket.history;
  }

  pause(): void {
    if (!this.admission.pause()) return;
    this.audit('sync.paused');
    this.emitProgress();
  }

  resume(): void {
    if (!this.admission.resume()) return;
    this.audit('sync.resumed');
    this.emitProgress();
  }

  /** Stops new calls; calls already sent finish and are recorded. */
  cancel(): void {
    if (this.admission.cancel()) this.emitProgress();
  }

  private audit(action: string, details: Record<string, string | number> = {}): void {
    appendAudit(this.db, {
      actor: this.actor,
      backendIdentity: this.backendIdentity,
      action,
      details: { run_id: this.runId, ...details },
    });
  }

  /** Runs the batches' valid orders to the end (done, failed or needs review), or until cancelled. */
  async run(batchIds: number[], options: RunOptions = {}): Promise<SyncSummary> {
    const now = () => new Date().toISOString();
    this.batchIds = batchIds;
    // The run is recorded only once it holds the store's lock (a refused run leaves nothing behind).
    const lock = acquireSyncLock(this.db, () => insertSyncRun(this.db, { startedAt: now(), startedBy: this.actor, batchIds }));
    this.runId = lock.runId;
    const run: RunRecord = { runId: this.runId, actor: this.actor, backendIdentity: this.backendIdentity };
    // From here on the run is in sync_runs: however it ends, it is closed there and in the audit log.
    let closed = false;
    try {
      this.db.transaction(() => {
        if (!options.reconcileOnly && !options.notifyOnly) enqueue(this.db, batchIds, now());
        if (options.retryFailed && !options.notifyOnly) requeueFailed(this.db, batchIds, now());
        parkPurged(this.db, batchIds, now());
      })();
      this.counts = stateCounts(this.db, batchIds);
      this.audit('sync.started', {
        batches: batchIds.join(','),
        orders: this.counts.total,
        yen_staged: this.counts.yen.staged,
        ...(options.notifyOnly ? { scope: 'notify_only' } : {}),
      });
      this.startedAt = performance.now();
      this.admission.lastMovement = this.startedAt;
      const ticker = setInterval(() => this.emitProgress(true), this.settings.progressIntervalMs);
      try {
        await this.work(batchIds, options);
      } finally {
        clearInterval(ticker);
      }
      this.counts = stateCounts(this.db, batchIds);
      const summary = buildSummary(this.view());
      closeRun(this.db, run, { outcome: summary.outcome, summary });
      closed = true;
      this.emitProgress(false, summary.outcome);
      return summary;
    } catch (error) {
      if (!closed) this.closeFailed(run, batchIds, error);
      throw error;
    } finally {
      lock.release();
    }
  }

  /** Heals the orders in review, then drives the queue in maxActive lanes until it is empty or the run is cancelled. */
  private async work(batchIds: number[], options: RunOptions): Promise<void> {
    const review = options.notifyOnly ? [] : reviewOrders(this.db, batchIds);
    const open = pendingOrders(this.db, batchIds).filter((o) =>
      options.notifyOnly ? o.state === 'paid' : !options.reconcileOnly || o.state.endsWith('_in_flight'),
    );
    const queue: { order: SyncOrder; heal: boolean }[] = [
      ...review.map((order) => ({ order, heal: true })),
      ...open.map((order) => ({ order, heal: false })),
    ];
    let next = 0;
    const lane = async () => {
      try {
        while (next < queue.length && !this.admission.cancelled) {
          const item = queue[next++] as (typeof queue)[number];
          await this.drive(item.order, item.heal);
        }
      } catch (error) {
        // Bad credentials or a store error: stop every lane, then report it.
        this.cancel();
        throw error;
      }
    };
    // Every lane ends (calls already sent finish and are recorded) before the run is closed and the lock released.
    const lanes = await Promise.allSettled(Array.from({ length: Math.min(this.settings.maxActive, queue.length) }, lane));
    const failure = lanes.find((l) => l.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** Closes a run that ended in an error; the error itself is what run() rejects with. */
  private closeFailed(run: RunRecord, batchIds: number[], error: unknown): void {
    let summary: SyncSummary | null = null;
    try {
      this.counts = stateCounts(this.db, batchIds);
      summary = buildSummary(this.view());
    } catch {
      // The store itself failed: the run is closed without counts if it can be written at all.
    }
    try {
      closeRun(this.db, run, { outcome: 'failed', error: toErrorInfo(error), summary });
    } catch {
      // Nothing more can be recorded; the original error still reaches the caller.
    }
    this.emit('progress', buildProgress({ ...this.view(), batchIds: [] }, 'failed'));
  }

  private view(): RunView {
    return {
      runId: this.runId,
      batchIds: this.batchIds,
      counts: this.counts,
      startedAt: this.startedAt,
      admission: this.admission,
      settings: this.settings,
    };
  }

  progress(batchIds: number[] = [], state?: SyncProgress['state']): SyncProgress {
    if (batchIds.length) this.counts = stateCounts(this.db, batchIds);
    const a = this.admission;
    return buildProgress(this.view(), state ?? (a.cancelled ? 'cancelling' : a.paused ? 'paused' : 'running'));
  }

  private emitProgress(recount = false, state?: SyncProgress['state']): void {
    this.emit('progress', this.progress(recount ? this.batchIds : [], state));
  }

  private async drive(order: SyncOrder, heal: boolean): Promise<void> {
    let payloads: OrderPayloads | null = null;
    const body = () => {
      payloads ??= payloadsFor(this.db, order.orderId);
      return payloads;
    };
    try {
      if (heal) await healOrder(this.db, this.client, this.admission, order);
      for (;;) {
        switch (order.state) {
          case 'queued':
            await this.steps.createOrder(order, body);
            break;
          case 'order_in_flight':
            await this.steps.reconcileOrder(order);
            break;
          case 'order_created':
          case 'payment_in_flight':
            await this.steps.pay(order, body);
            break;
          case 'paid':
          case 'notification_in_flight':
            await this.steps.notify(order, body);
            break;
          default:
            return;
        }
      }
    } catch (error) {
      if (error instanceof Cancelled) return;
      throw error;
    }
  }
}

export function assertBatches(db: Db, batchIds: number[]): void {
  for (const id of batchIds)
    if (!db.prepare('SELECT 1 FROM batches WHERE id = ?').get(id)) throw new AppError('BATCH_NOT_FOUND', { batchId: id });
}
