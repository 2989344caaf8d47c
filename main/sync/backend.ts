import type { Db } from '../store/database';
import { readSetting } from '../store/settings';
import { type Simulator, startSimulator } from '../simulator/server';
import { BackendClient } from './client';
import { DEFAULT_SYNC_SETTINGS, type SyncSettings } from './engine';

export interface Backend {
  client: BackendClient;
  /** The OAuth client id: the backend identity recorded in the audit log. */
  identity: string;
  settings: Partial<SyncSettings>;
  /** Set when no backend is configured and the built-in simulator (demo mode) is used. */
  simulator: Simulator | null;
}

/**
 * The backend to sync to: the configured URL and credentials (credentials from the encrypted settings or
 * the environment), or, when none is configured, the built-in simulator in demo mode.
 */
export async function connectBackend(
  db: Db,
  options: { url?: string; clientId?: string; clientSecret?: string; settings?: Partial<SyncSettings> } = {},
): Promise<Backend> {
  const url = options.url ?? readSetting(db, 'backendUrl', null);
  let settings: Partial<SyncSettings> = options.settings ?? {};
  let simulator: Simulator | null = null;
  let baseUrl: string;
  let clientId = options.clientId ?? readSetting(db, 'backendClientId', null) ?? 'order-stager-demo';
  let clientSecret = options.clientSecret ?? readSetting(db, 'backendClientSecret', null) ?? 'demo-secret';
  if (url) baseUrl = url;
  else {
    simulator = await startSimulator({});
    baseUrl = simulator.url;
    clientId = 'order-stager-demo';
    clientSecret = 'demo-secret';
    // The built-in simulator shares this process's event loop, so arrival times jitter more than over a
    // network: allow 50 ms rather than 20 so its 10/s notification limit is never hit.
    const notifications = { ...DEFAULT_SYNC_SETTINGS.services.notifications, jitterMs: 50, ...settings.services?.notifications };
    settings = { ...settings, services: { ...DEFAULT_SYNC_SETTINGS.services, ...settings.services, notifications } };
  }
  const services = { ...DEFAULT_SYNC_SETTINGS.services, ...settings.services };
  const client = new BackendClient({
    baseUrl,
    clientId,
    clientSecret,
    timeoutsMs: {
      orders: services.orders.timeoutMs,
      payments: services.payments.timeoutMs,
      notifications: services.notifications.timeoutMs,
    },
  });
  return { client, identity: clientId, settings, simulator };
}
