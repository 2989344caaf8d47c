import { z } from 'zod';
import { type Channels, channels, type Input, type Method, type Output } from '../shared/contract';
import { schemaError } from '../operations/input';
import { type ErrorInfo, type Result, toErrorInfo } from '../shared/errors';

/** Where the dispatcher asks whether the window is locked (createHandlers sets it from the app's lock). */
export const LOCK_GATE = Symbol('lockGate');

export interface LockGate {
  isLocked(): boolean;
}

export type Handlers = { [M in Method]: (input: Input<M>) => Promise<Output<M>> | Output<M> } & { readonly [LOCK_GATE]?: LockGate };

/**
 * The channels that answer while the window is locked: none returns personal data (the app's version and
 * language, the lock itself, and the sync's counts for the lock screen). Every other channel answers LOCKED,
 * so a channel added later is locked unless it is added here.
 */
export const OPEN_WHILE_LOCKED: ReadonlySet<Method> = new Set<Method>([
  'getAppInfo',
  'getLockStatus',
  'lockNow',
  'unlock',
  'getSyncStatus',
]);

const LOCKED: Result<never> = { ok: false, error: { code: 'LOCKED', params: {} } };

export interface DispatchLog {
  /** Gets the code only: messages and inputs may hold personal data. */
  error(channel: string, info: ErrorInfo): void;
}

const byChannel = new Map<string, Method>(Object.entries(channels).map(([method, spec]) => [spec.channel, method as Method]));

export function methodForChannel(channel: string): Method | undefined {
  return byChannel.get(channel);
}

/**
 * The one path every IPC call takes, in Electron and in the renderer test harness alike: find the
 * channel in the contract, refuse it while the window is locked (LOCKED), validate the input, run the handler, validate the output, and turn any
 * failure into `{ok: false, error: {code, params}}`.
 */
export async function dispatch(handlers: Handlers, channel: string, rawInput: unknown, log?: DispatchLog): Promise<Result<unknown>> {
  const method = methodForChannel(channel);
  if (!method) return { ok: false, error: { code: 'UNKNOWN_CHANNEL', params: {} } };
  if (handlers[LOCK_GATE]?.isLocked() && !OPEN_WHILE_LOCKED.has(method)) return LOCKED;
  const spec: Channels[Method] = channels[method];
  const parsed = spec.input.safeParse(rawInput);
  if (!parsed.success) {
    const known = schemaError(parsed.error);
    if (known) return { ok: false, error: known };
    return { ok: false, error: { code: 'INVALID_INPUT', params: { issues: z.prettifyError(parsed.error).slice(0, 500) } } };
  }
  try {
    const handler = handlers[method] as (input: unknown) => unknown;
    const value = await handler(parsed.data);
    return { ok: true, value: spec.output.parse(value) };
  } catch (error) {
    const info = toErrorInfo(error);
    log?.error(channel, info);
    return { ok: false, error: info };
  }
}
