import { backendOrigin, checkBackendUrl } from '../shared/backend-url';
import { AppError } from '../shared/errors';
import type { Db } from '../store/database';
import { readSetting } from '../store/settings';
import { type Simulator, startSimulator } from '../simulator/server';
import { BackendClient } from './client';
import { DEFAULT_SYNC_SETTINGS, type SyncSettings } from './engine';
import type { FetchLike } from './transport';

export interface Backend {
  client: BackendClient;
  /** The OAuth client id: the backend identity recorded in the audit log. */
  identity: string;
  settings: Partial<SyncSettings>;
  /** Set when no backend is configured and the built-in simulator (demo mode) is used. */
  simulator: Simulator | null;
}

/** The simulator's published demo credentials: not a secret, so they may go to any backend. */
const DEMO = { id: 'order-stager-demo', secret: 'demo-secret' };

export interface ConnectOptions {
  /** Another backend than the configured one (`sync --backend`). */
  url?: string;
  clientId?: string;
  /** Given by the caller (environment, standard input): the only secret that may go to another backend. */
  clientSecret?: string;
  settings?: Partial<SyncSettings>;
  /** The network stack (Electron's net.fetch in the desktop app). */
  fetch?: FetchLike;
  env?: NodeJS.ProcessEnv;
  /** A built-in simulator already running, reused in demo mode (the app keeps one for its lifetime). */
  simulator?: Simulator | null;
}

/**
 * The backend to sync to: the configured URL and credentials (credentials from the encrypted settings or
 * the environment), or, when none is configured, the built-in simulator in demo mode. The stored secret
 * goes only to the stored backend's origin; another URL needs its secret given explicitly.
 */
export async function connectBackend(db: Db, options: ConnectOptions = {}): Promise<Backend> {
  const stored = readSetting(db, 'backendUrl', null);
  const url = options.url ?? stored;
  let settings: Partial<SyncSettings> = options.settings ?? {};
  let simulator: Simulator | null = null;
  let baseUrl: string;
  let clientId: string;
  let clientSecret: string;
  if (url) {
    baseUrl = url;
    const check = checkBackendUrl(url);
    if (!check.ok) throw new AppError(check.code, check.params);
    const storedSecret = readSetting(db, 'backendClientSecret', null);
    const storedOrigin = stored === null ? null : backendOrigin(stored);
    const secret = options.clientSecret ?? (storedOrigin === check.url.origin ? storedSecret : null);
    if (secret === null && storedSecret !== null) throw new AppError('BACKEND_SECRET_REQUIRED', { host: check.url.hostname });
    clientId = options.clientId ?? readSetting(db, 'backendClientId', null) ?? DEMO.id;
    clientSecret = secret ?? DEMO.secret;
  } else {
    simulator = options.simulator ?? (await startSimulator({}));
    baseUrl = simulator.url;
    clientId = DEMO.id;
    clientSecret = DEMO.secret;
    // The built-in simulator shares this process's event loop, so arrival times jitter more than over a
    // network: start with a 50 ms margin rather than 20, and keep measuring the loop's lateness into it.
    const notifications = {
      ...DEFAULT_SYNC_SETTINGS.services.notifications,
      jitterMs: 50,
      backendInProcess: true,
      ...settings.services?.notifications,
    };
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
    fetch: options.fetch,
    env: options.env,
  });
  return { client, identity: clientId, settings, simulator };
}
