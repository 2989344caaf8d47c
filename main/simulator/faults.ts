import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Service } from './config';
import { HttpError, send } from './http';
import { sampleLatency } from './random';
import { route } from './routes';
import type { SimRequestLogEntry, SimRuntime } from './runtime';

export interface ServiceCallDeps {
  authenticate(req: IncomingMessage): Promise<void>;
  /** Waits, unless the simulator closes first (then rejects). */
  wait(ms: number): Promise<void>;
}

/**
 * One call to a service, as a real backend would treat it plus the configured faults: the exact rate limit
 * (429 with Retry-After and Retry-After-Ms; RateLimit-* headers when configured), the token, outages, resets,
 * 5xx, hangs, latency, the business call, replay of a repeated Idempotency-Key (when honoured) and
 * commit-then-fail.
 */
export async function handleServiceCall(
  sim: SimRuntime,
  deps: ServiceCallDeps,
  service: Service,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  entry: SimRequestLogEntry,
): Promise<void> {
  const { counters, config } = sim;
  const t = sim.elapsed();
  counters.requests[service] += 1;
  counters.max_rate_per_second[service] = Math.max(counters.max_rate_per_second[service], sim.arrivals[service].record(t));
  const serviceConfig = config.services[service];
  const { faults } = serviceConfig;
  // Draw the same random numbers for every call, whatever the config, so a seed gives one fixed sequence.
  const faultDraw = sim.random();
  const latencyMs = sampleLatency(faults.latency, sim.random);
  const commitDraw = sim.random();

  const limiter = sim.limiters[service];
  const limit = limiter.tryAcquire(t);
  if (config.rateLimitHeaders && serviceConfig.rateLimitPerSecond !== null) {
    // IETF httpapi draft: the current window's budget; Reset in whole seconds as the draft says.
    const window = limiter.status(t);
    res.setHeader('ratelimit-limit', String(serviceConfig.rateLimitPerSecond));
    res.setHeader('ratelimit-remaining', String(window.remaining));
    res.setHeader('ratelimit-reset', String(Math.ceil(window.resetMs / 1000)));
  }
  if (!limit.ok) {
    counters.rate_limited[service] += 1;
    entry.fault = 'rate_limited';
    throw new HttpError(429, 'RATE_LIMITED', {
      'retry-after': String(Math.ceil(limit.retryAfterMs / 1000)),
      ...(config.retryAfterMs ? { 'retry-after-ms': String(Math.ceil(limit.retryAfterMs)) } : {}),
    });
  }
  await deps.authenticate(req);
  const now = Date.now();
  if (faults.outages.some((o) => now >= o.fromMs && now < o.toMs)) {
    counters.faults[service] += 1;
    entry.fault = 'outage';
    throw new HttpError(503, 'SERVICE_UNAVAILABLE', { 'retry-after': '1' });
  }
  let threshold = faults.resetRate;
  if (faultDraw < threshold) {
    counters.faults[service] += 1;
    entry.fault = 'reset';
    req.socket.destroy();
    return;
  }
  threshold += faults.errorRate;
  if (faultDraw < threshold) {
    counters.faults[service] += 1;
    entry.fault = 'error';
    const statuses = faults.errorStatuses;
    throw new HttpError(statuses[Math.floor(faultDraw * 1e6) % statuses.length] ?? 500, 'INJECTED_ERROR');
  }
  threshold += faults.hangRate;
  if (faultDraw < threshold || latencyMs >= serviceConfig.timeoutMs) {
    // The backend gives up at its documented timeout without committing anything.
    counters.faults[service] += 1;
    entry.fault = faultDraw < threshold ? 'hang' : 'timeout';
    await deps.wait(serviceConfig.timeoutMs);
    throw new HttpError(504, 'TIMEOUT');
  }
  if (latencyMs > 0) await deps.wait(latencyMs);
  const key = idempotencyKey(sim, req, url);
  const stored = key === null ? undefined : sim.state.reply(key);
  if (stored) {
    counters.replayed[service] += 1;
    entry.replayed = true;
    entry.status = stored.status;
    send(res, stored.status, stored.body);
    return;
  }
  let result: Awaited<ReturnType<typeof route>>;
  try {
    result = await route(sim, service, req, url);
  } catch (error) {
    // A definite refusal is a result too: the same key gets the same answer.
    if (key !== null && error instanceof HttpError && error.status < 500)
      sim.state.remember(key, { status: error.status, body: { error: { code: error.code } } });
    throw error;
  }
  if (key !== null) sim.state.remember(key, { status: result.status, body: result.body });
  if (result.committed && commitDraw < faults.commitThenFailRate) {
    counters.faults[service] += 1;
    entry.fault = 'commit_then_fail';
    entry.status = 0;
    req.socket.destroy();
    return;
  }
  entry.status = result.status;
  send(res, result.status, result.body);
}

/** The key a POST is remembered under, when the simulator honours Idempotency-Key (scoped by path). */
function idempotencyKey(sim: SimRuntime, req: IncomingMessage, url: URL): string | null {
  const key = req.headers['idempotency-key'];
  if (!sim.config.honourIdempotencyKey || req.method !== 'POST' || typeof key !== 'string' || !key) return null;
  return `${url.pathname} ${key.slice(0, 255)}`;
}
