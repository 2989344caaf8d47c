import type { TFunction } from 'i18next';
import type { ServiceProgress, SyncProgress } from '../shared/contract';

const SERVICES = ['orders', 'payments', 'notifications'] as const;
type ServiceName = (typeof SERVICES)[number];

const SERVICE_KEY: Record<ServiceName, string> = {
  orders: 'cli.syncServiceOrders',
  payments: 'cli.syncServicePayments',
  notifications: 'cli.syncServiceNotifications',
};
const BREAKER_KEY: Record<string, string> = { open: 'cli.breakerOpen', half_open: 'cli.breakerHalfOpen', closed: 'cli.breakerClosed' };

function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

/** One line of progress for a terminal: overall bar, each step, the bottleneck's rate and the ETA (unknown while nothing moves). */
export function progressLine(t: TFunction, p: SyncProgress): string {
  const s = p.services;
  const finished = p.done + p.failed + p.needsReview;
  return t('cli.syncProgress', {
    bar: bar(p.total ? finished / p.total : 1),
    done: finished,
    total: p.total,
    orders: s.orders.done,
    payments: s.payments.done,
    notifications: s.notifications.done,
    rate: s.notifications.rate_per_second.toFixed(1),
    eta: p.etaS === null ? t('cli.etaUnknown') : `${Math.ceil(p.etaS)}s`,
  });
}

/** A service's last error code (`HTTP_503`, `TIMEOUT`, …) in words. */
function reasonText(t: TFunction, code: string): string {
  const http = code.match(/^HTTP_(\d{3})$/);
  if (http) return t('cli.reasonHttp', { status: http[1] });
  if (code === 'TIMEOUT') return t('cli.reasonTimeout');
  if (code === 'CONNECTION_LOST') return t('cli.reasonConnectionLost');
  return t('cli.reasonUnreachable');
}

interface Seen {
  /** What the last "unavailable" line said (error and breaker), or null when the service is fine. */
  down: string | null;
  /** The error seen in the previous snapshot: one snapshot alone (a single failed call among many) says nothing. */
  error: string | null;
}

/**
 * Turns the stream of progress snapshots into what staff need to read: a line for each change of state (a
 * service down with why, when it is retried and the breaker; back again; paused, resumed; nothing moving and
 * moving again), and the progress line itself (rewritten in place on a terminal, every 2 s otherwise).
 */
export function progressReporter(t: TFunction, write: (text: string) => void, interactive: boolean): (p: SyncProgress) => void {
  const seen: Record<ServiceName, Seen> = {
    orders: { down: null, error: null },
    payments: { down: null, error: null },
    notifications: { down: null, error: null },
  };
  let stalled = false;
  let state: SyncProgress['state'] = 'running';
  let lastLine = 0;
  let dirty = false;
  const say = (line: string) => {
    // On a terminal the progress line is being rewritten in place: clear it before a line of its own.
    write(interactive && dirty ? `\r\x1b[K${line}\n` : `${line}\n`);
    dirty = false;
  };
  const service = (name: ServiceName, s: ServiceProgress) => {
    const was = seen[name];
    const error = s.last_error ?? null;
    const failing = s.breaker !== 'closed' || (error !== null && was.error !== null);
    const cause = error ?? was.error;
    was.error = error;
    if (failing && cause) {
      const breaker = t(BREAKER_KEY[s.breaker] ?? 'cli.breakerClosed');
      const params = { service: t(SERVICE_KEY[name]), reason: reasonText(t, cause), breaker };
      const key = `${cause} ${s.breaker}`;
      if (was.down === key) return;
      was.down = key;
      say(s.retry_in_s ? t('cli.syncServiceDown', { ...params, seconds: s.retry_in_s }) : t('cli.syncServiceDownWaiting', params));
    } else if (was.down !== null && error === null && s.breaker === 'closed') {
      was.down = null;
      say(t('cli.syncServiceBack', { service: t(SERVICE_KEY[name]) }));
    }
  };
  return (p) => {
    for (const name of SERVICES) service(name, p.services[name]);
    if (p.state !== state) {
      if (p.state === 'paused') say(t('cli.syncPaused'));
      else if (state === 'paused' && p.state === 'running') say(t('cli.syncResumed'));
      state = p.state;
    }
    const nowStalled = p.state === 'running' && p.etaS === null;
    if (nowStalled !== stalled) say(t(nowStalled ? 'cli.syncStalled' : 'cli.syncMoving'));
    stalled = nowStalled;
    const ended = p.state === 'finished' || p.state === 'cancelled' || p.state === 'failed';
    const now = Date.now();
    if (interactive) {
      write(`\r${progressLine(t, p)}`);
      dirty = true;
    } else if (now - lastLine > 2000 || ended) {
      lastLine = now;
      write(`${progressLine(t, p)}\n`);
    }
  };
}
