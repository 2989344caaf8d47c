import type { IpcMain } from 'electron';
import { channels } from '../shared/contract';
import { type DispatchLog, dispatch, type Handlers } from '../handlers/dispatch';
import { isTrustedSender } from '../security/urls';

/**
 * Registers one ipcMain handler per contract channel. Each checks that the call comes from the app's
 * own top-level frame before the shared dispatcher validates input and runs the handler.
 */
export function registerIpc(ipcMain: IpcMain, handlers: Handlers, log: DispatchLog, devServerUrl?: string): void {
  for (const spec of Object.values(channels)) {
    ipcMain.handle(spec.channel, (event, input: unknown) => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isTrustedSender(frame.url, devServerUrl)) {
        return { ok: false, error: { code: 'FORBIDDEN', params: {} } };
      }
      return dispatch(handlers, spec.channel, input, log);
    });
  }
}
