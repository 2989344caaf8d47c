import type { ServiceProgress, SyncProgress } from '../shared/contract';
import type { Admission } from './admission';
import type { Service } from './client';
import type { SyncSettings } from './settings';
import type { StateCounts } from './state';

export type { ServiceProgress, SyncProgress } from '../shared/contract';

export interface SyncSummary {
  run_id: number;
  batch_ids: number[];
  outcome: 'finished' | 'cancelled';
  orders: { total: number; done: number; failed: number; needs_review: number; remaining: number };
  duration_s: number;
  requests: Record<Service, number>;
  retries: number;
  rate_limited: number;
  yen: { staged: number; synced: number };
}

const SERVICES = ['orders', 'payments', 'notifications'] as const;
/** Nothing completed for this long while work remains: the ETA is unknown rather than a frozen guess. */
const STALLED_MS = 5000;

export interface RunView {
  runId: number;
  batchIds: number[];
  counts: StateCounts | null;
  /** performance.now() when the run started (0 before). */
  startedAt: number;
  admission: Admission;
  settings: SyncSettings;
}

export function buildSummary(run: RunView): SyncSummary {
  const c = run.counts as StateCounts;
  const b = c.byState;
  const g = run.admission.gates;
  return {
    run_id: run.runId,
    batch_ids: run.batchIds,
    outcome: run.admission.cancelled ? 'cancelled' : 'finished',
    orders: {
      total: c.total,
      done: b.done,
      failed: b.failed,
      needs_review: b.needs_review,
      remaining: c.total - b.done - b.failed - b.needs_review,
    },
    duration_s: Math.round((performance.now() - run.startedAt) / 100) / 10,
    requests: { orders: g.orders.requests, payments: g.payments.requests, notifications: g.notifications.requests },
    retries: run.admission.retries,
    rate_limited: run.admission.rateLimited,
    yen: c.yen,
  };
}

/**
 * Where the run stands: counts per state and step, measured rates, each service's breaker, last error and
 * next retry, and the ETA (from the rate limits before the run, from measured rates during it; unknown
 * while nothing moves).
 */
export function buildProgress(run: RunView, state: SyncProgress['state']): SyncProgress {
  const c = run.counts;
  const { admission } = run;
  const t = performance.now();
  const elapsedS = run.startedAt ? (t - run.startedAt) / 1000 : 0;
  const service = (name: Service): ServiceProgress => {
    const gate = admission.gates[name];
    while (gate.completions.length && (gate.completions[0] ?? 0) < t - 10_000) gate.completions.shift();
    const window = Math.min(10, Math.max(elapsedS, 0.001));
    const steps = c?.steps[name] ?? { waiting: 0, in_flight: 0, done: 0, failed: 0 };
    const retryInMs = Math.max(gate.breaker.retryInMs(), gate.retryAt - t);
    return {
      ...steps,
      requests: gate.requests,
      rate_per_second: gate.completions.length / window,
      average_per_second: elapsedS > 0 ? steps.done / elapsedS : 0,
      limit_per_second: run.settings.services[name].ratePerSecond,
      breaker: gate.breaker.state,
      last_error: gate.lastError,
      retry_in_s: retryInMs > 0 ? Math.ceil(retryInMs / 1000) : null,
    };
  };
  const services = { orders: service('orders'), payments: service('payments'), notifications: service('notifications') };
  let etaS: number | null = 0;
  let remainingAny = false;
  for (const name of SERVICES) {
    const s = services[name];
    const remaining =
      (c?.total ?? 0) -
      s.done -
      s.failed -
      (c?.needsReview ?? 0) -
      (name === 'orders' ? 0 : services.orders.failed) -
      (name === 'notifications' ? services.payments.failed : 0);
    if (remaining <= 0) continue;
    remainingAny = true;
    const rate = s.rate_per_second > 0 && elapsedS > 2 ? s.rate_per_second : admission.gates[name].bucket.currentRate;
    etaS = rate ? Math.max(etaS ?? 0, remaining / rate) : etaS;
  }
  if (remainingAny && state === 'running' && run.startedAt && t - Math.max(admission.lastMovement, run.startedAt) > STALLED_MS) etaS = null;
  const b = c?.byState;
  return {
    runId: run.runId,
    state,
    elapsedS,
    total: c?.total ?? 0,
    done: b?.done ?? 0,
    failed: b?.failed ?? 0,
    needsReview: b?.needs_review ?? 0,
    paidUnnotified: b?.paid ?? 0,
    services,
    etaS,
    yen: c?.yen ?? { staged: 0, synced: 0 },
    retries: admission.retries,
    rateLimited: admission.rateLimited,
  };
}
