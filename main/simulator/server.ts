import { createServer } from 'node:http';
import { setMaxListeners } from 'node:events';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAuth } from './auth';
import { resolveConfig, type SimConfig } from './config';
import { handleServiceCall } from './faults';
import { HttpError, send } from './http';
import { inspection, type SimStats, simStats } from './inspection';
import { serviceFor } from './routes';
import { type SimRequestLogEntry, SimRuntime } from './runtime';
import { SimState } from './state';

export type { SimStats } from './inspection';
export type { SimRequestLogEntry } from './runtime';

export interface Simulator {
  readonly url: string;
  readonly port: number;
  readonly state: SimState;
  config(): SimConfig;
  setConfig(patch: unknown): SimConfig;
  stats(): SimStats;
  requests(): readonly SimRequestLogEntry[];
  reset(): void;
  close(): Promise<void>;
}

export interface StartSimulatorOptions {
  port?: number;
  /** Partial config; merged over the defaults. */
  config?: unknown;
  /** SQLite file that keeps state across restarts. */
  persistFile?: string;
}

/**
 * Starts the reference backend on 127.0.0.1: OAuth client credentials (auth.ts), orders, payments (1:1 with
 * an order) and notifications (routes.ts), per-service exact rate limits and fault injection (faults.ts),
 * plus the /__sim inspection API (inspection.ts).
 */
export async function startSimulator(options: StartSimulatorOptions = {}): Promise<Simulator> {
  const sim = new SimRuntime(resolveConfig(undefined, options.config), new SimState(options.persistFile));
  const auth = createAuth(() => sim.config);
  // Aborts pending latency and hang timers on close, so a closed simulator holds no timers.
  const shutdown = new AbortController();
  // Every delayed response (latency, hangs) waits on this one signal: many at once is normal, not a leak.
  setMaxListeners(100_000, shutdown.signal);
  const deps = {
    authenticate: auth.authenticate,
    wait: (ms: number) => sleep(ms, undefined, { signal: shutdown.signal }),
  };
  const control = {
    setConfig: (patch: unknown) => {
      sim.setConfig(resolveConfig(sim.config, patch));
      return sim.config;
    },
    reset: () => sim.reset(),
  };

  const server = createServer((req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/__sim/')) {
      Promise.resolve(inspection(sim, control, req, res, url)).catch(() => send(res, 500, { error: { code: 'INTERNAL' } }));
      return;
    }
    const service = serviceFor(url.pathname);
    const entry: SimRequestLogEntry = {
      t_ms: Math.round(sim.elapsed() * 10) / 10,
      at: new Date().toISOString(),
      service: service ?? 'oauth',
      method: req.method ?? 'GET',
      path: url.pathname,
      status: 0,
      duration_ms: 0,
    };
    const work =
      url.pathname === '/oauth/token' && req.method === 'POST'
        ? auth.issueToken(req).then((body) => {
            entry.status = 200;
            send(res, 200, body, { 'cache-control': 'no-store' });
          })
        : service
          ? handleServiceCall(sim, deps, service, req, res, url, entry)
          : Promise.reject(new HttpError(404, 'NOT_FOUND'));
    work
      .catch((error: unknown) => {
        const http = error instanceof HttpError ? error : new HttpError(500, 'INTERNAL');
        entry.status = http.status;
        // Error bodies carry a code only: never the request's data, a stack trace or SQL.
        send(res, http.status, { error: { code: http.code } }, http.headers);
      })
      .finally(() => {
        entry.duration_ms = Math.round((performance.now() - started) * 10) / 10;
        if (service) sim.log.push(entry);
      });
  });
  server.keepAliveTimeout = 10_000;
  // Requests are bounded by the per-service timeouts; the socket limits are for abandoned clients.
  server.requestTimeout = 120_000;
  server.headersTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    state: sim.state,
    config: () => sim.config,
    setConfig: control.setConfig,
    stats: () => simStats(sim),
    requests: () => sim.log,
    reset: control.reset,
    close: async () => {
      shutdown.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      sim.state.close();
    },
  };
}
