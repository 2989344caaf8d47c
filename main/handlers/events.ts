import type { AppContext } from '../app/context';
import { type EventName, type EventPayload, events, type LockStatus } from '../shared/contract';
import type { SyncProgress, SyncSummary } from '../sync/engine';
import type { SyncFailure } from '../sync/manager';

/** Puts one event on the wire: `webContents.send` in Electron, a Playwright call in the renderer tests. */
export type EventWire = (channel: string, payload: unknown) => void;

/** Sends a contract event; the payload is validated so nothing outside the contract leaks to the renderer. */
export type SendEvent = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export interface AppEvents {
  send: SendEvent;
  /** Tells the renderer which batches changed (the handlers call it after imports, edits, ...). */
  notify(batchIds: number[]): void;
  /** Stops relaying the sync manager's events. */
  dispose(): void;
}

export function eventSender(wire: EventWire): SendEvent {
  return (name, payload) => {
    const spec = events[name];
    wire(spec.channel, spec.payload.parse(payload));
  };
}

/**
 * What main pushes to the renderer, wired once for the Electron shell and the renderer test harness alike:
 * sync progress, a run's failure (with its error code), and the batches a finished or failed run changed.
 */
export function wireAppEvents(ctx: AppContext, wire: EventWire): AppEvents {
  const sendNow = eventSender(wire);
  // While locked only counts and codes go out (sync progress and failure, the lock itself): a changed batch is
  // reloaded after unlocking anyway, and a file opened with the app waits for the unlock (its name is the user's).
  const waiting: EventPayload<'importRequested'>[] = [];
  const send: SendEvent = (name, payload) => {
    if (ctx.lock.isLocked() && name === 'importRequested') waiting.push(payload as EventPayload<'importRequested'>);
    else if (!(ctx.lock.isLocked() && name === 'batchesChanged')) sendNow(name, payload);
  };
  const onLockChanged = (status: LockStatus) => {
    sendNow('lockChanged', status);
    if (!status.locked) for (const file of waiting.splice(0)) sendNow('importRequested', file);
  };
  const notify = (batchIds: number[]) => send('batchesChanged', { batchIds });
  const onProgress = (progress: SyncProgress) => send('syncProgress', progress);
  const onFinished = (summary: SyncSummary) => notify(summary.batch_ids);
  const onFailed = (failure: SyncFailure) => {
    send('syncFailed', failure);
    // Orders the run reached before it failed have moved on.
    notify(failure.batchIds);
  };
  ctx.sync.on('progress', onProgress);
  ctx.sync.on('finished', onFinished);
  ctx.sync.on('failed', onFailed);
  ctx.lock.on('changed', onLockChanged);
  return {
    send,
    notify,
    dispose: () => {
      ctx.sync.off('progress', onProgress);
      ctx.sync.off('finished', onFinished);
      ctx.sync.off('failed', onFailed);
      ctx.lock.off('changed', onLockChanged);
    },
  };
}
