import type { EventName, EventPayload, ImportFile, Input, Output, PageMethod } from '@shared/contract';
import type { ErrorInfo } from '@shared/errors';

/** The only module that touches window.api: turns `{ok:false}` results into thrown IpcErrors. */
export class IpcError extends Error {
  readonly info: ErrorInfo;
  constructor(info: ErrorInfo) {
    super(info.code);
    this.name = 'IpcError';
    this.info = info;
  }
}

let onLocked: (() => void) | null = null;

/** Who hears that main refused a call because the window is locked (the lock store: the page locks). */
export function onLockedAnswer(listener: () => void): void {
  onLocked = listener;
}

type Caller = (input?: unknown) => Promise<{ ok: true; value: unknown } | { ok: false; error: ErrorInfo }>;

export async function call<M extends PageMethod>(method: M, ...args: Input<M> extends undefined ? [] : [Input<M>]): Promise<Output<M>> {
  const fn = window.api[method] as unknown as Caller;
  const result = await fn(args[0]);
  if (!result.ok && result.error.code === 'LOCKED') onLocked?.();
  if (!result.ok) throw new IpcError(result.error);
  return result.value as Output<M>;
}

/** A File from a drop, handed to main (the preload reads its path); null when it has no path on disk. */
export async function registerDroppedFile(file: File): Promise<ImportFile | null> {
  const result = await window.api.registerDroppedFile(file);
  if (result && !result.ok) throw new IpcError(result.error);
  return result ? result.value : null;
}

export function subscribe<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
  return window.api.on[name](listener);
}

export function errorInfo(error: unknown): ErrorInfo {
  return error instanceof IpcError ? error.info : { code: 'INTERNAL', params: {} };
}
