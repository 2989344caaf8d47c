import type { Api, Transport } from '../main/shared/api';
import { channels, eventNames, events, pageMethodNames } from '../main/shared/contract';

/**
 * Builds `window.api` from the contract: one named function per channel, one subscription per event.
 * The same builder runs in Electron's preload (ipcRenderer transport) and in the browser test harness.
 * There is deliberately no generic invoke(channel): only contract channels are reachable, and preload-only
 * channels (a dropped file's path) only with input the preload resolved itself.
 */
export function createApi(transport: Transport): Api {
  const api: Record<string, unknown> = {};
  for (const method of pageMethodNames) {
    const { channel } = channels[method];
    api[method] = (input?: unknown) => transport.invoke(channel, input);
  }
  const on: Record<string, unknown> = {};
  for (const name of eventNames) {
    const { channel } = events[name];
    on[name] = (listener: (payload: unknown) => void) => transport.subscribe(channel, listener);
  }
  api.on = Object.freeze(on);
  api.registerDroppedFile = async (file: File) => {
    let path = '';
    try {
      path = transport.filePath?.(file) ?? '';
    } catch {
      // Not a File (webUtils throws): the page handed over something else.
    }
    if (!path) return null;
    return transport.invoke(channels.addDroppedFile.channel, { path });
  };
  return Object.freeze(api) as Api;
}
