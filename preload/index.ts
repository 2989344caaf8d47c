import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createApi } from './api';

contextBridge.exposeInMainWorld(
  'api',
  createApi({
    invoke: (channel, input) => ipcRenderer.invoke(channel, input),
    subscribe: (channel, listener) => {
      // The renderer gets the payload only, never the IpcRendererEvent (which exposes `sender`).
      const wrapped = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, wrapped);
      return () => {
        ipcRenderer.removeListener(channel, wrapped);
      };
    },
    filePath: (file) => webUtils.getPathForFile(file),
  }),
);
