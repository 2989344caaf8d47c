import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { SimConfig } from './config';
import { parseJson, readBody, send } from './http';
import type { Counters, SimRuntime } from './runtime';

export interface SimStats extends Counters {
  duplicates: { orders_per_client_reference: number; payments_per_order: number; notifications_for_unpaid_orders: number };
  /** Orders notified more than once. */
  notifications_repeated: number;
}

export function simStats(sim: SimRuntime): SimStats {
  return { ...structuredClone(sim.counters), duplicates: sim.state.duplicates(), notifications_repeated: sim.state.notifiedMoreThanOnce() };
}

/** The config as shown to inspection clients: never the client secret. */
export const publicConfig = (config: SimConfig) => ({ ...config, clientSecret: undefined });

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The /__sim inspection API (loopback only): stats, request log, records, config, reset. */
export function inspection(
  sim: SimRuntime,
  control: { setConfig(patch: unknown): SimConfig; reset(): void },
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> | void {
  if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return send(res, 403, { error: { code: 'FORBIDDEN' } });
  const method = req.method ?? 'GET';
  switch (`${method} ${url.pathname}`) {
    case 'GET /__sim/stats':
      return send(res, 200, simStats(sim));
    case 'GET /__sim/requests': {
      const service = url.searchParams.get('service');
      return send(res, 200, service ? sim.log.filter((e) => e.service === service) : sim.log);
    }
    case 'GET /__sim/records':
      return send(res, 200, {
        orders: [...sim.state.orders.values()],
        payments: [...sim.state.paymentsById.values()],
        notifications: sim.state.notifications,
      });
    case 'GET /__sim/config':
      return send(res, 200, publicConfig(sim.config));
    case 'POST /__sim/reset':
      control.reset();
      return send(res, 200, { ok: true });
    case 'PUT /__sim/config':
      return readBody(req).then((text) => {
        try {
          control.setConfig(parseJson(text));
          send(res, 200, publicConfig(sim.config));
        } catch (error) {
          send(res, 400, {
            error: { code: 'INVALID_CONFIG', message: error instanceof z.ZodError ? z.prettifyError(error) : String(error) },
          });
        }
      });
    default:
      return send(res, 404, { error: { code: 'NOT_FOUND' } });
  }
}
