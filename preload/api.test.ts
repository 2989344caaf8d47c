import { describe, expect, it } from 'vitest';
import { channels, events, methodNames, preloadOnlyMethods } from '../main/shared/contract';
import { createApi } from './api';

describe('createApi', () => {
  it('exposes one named function per contract channel and nothing generic', async () => {
    const calls: [string, unknown][] = [];
    const api = createApi({
      invoke: async (channel, input) => {
        calls.push([channel, input]);
        return { ok: true, value: null };
      },
      subscribe: () => () => {},
    });
    const pageMethods = methodNames.filter((m) => !(preloadOnlyMethods as readonly string[]).includes(m));
    expect(Object.keys(api).sort()).toEqual([...pageMethods, 'on', 'registerDroppedFile'].sort());
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('send');
    await api.setLocale({ locale: 'en' });
    await api.listBatches();
    expect(calls).toEqual([
      [channels.setLocale.channel, { locale: 'en' }],
      [channels.listBatches.channel, undefined],
    ]);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('subscribes to contract events and returns the unsubscribe function', () => {
    const subscribed: string[] = [];
    let unsubscribed = 0;
    const api = createApi({
      invoke: async () => null,
      subscribe: (channel) => {
        subscribed.push(channel);
        return () => {
          unsubscribed += 1;
        };
      },
    });
    const off = api.on.batchesChanged(() => {});
    expect(subscribed).toEqual([events.batchesChanged.channel]);
    off();
    expect(unsubscribed).toBe(1);
  });

  it('offers no function that takes a path: a drop goes to main only with the path the preload read from the File', async () => {
    const calls: [string, unknown][] = [];
    const paths = new Map<unknown, string>();
    const api = createApi({
      invoke: async (channel, input) => {
        calls.push([channel, input]);
        return { ok: true, value: { fileId: 'f1', fileName: 'orders.csv', sizeBytes: 10 } };
      },
      subscribe: () => () => {},
      // As webUtils.getPathForFile: the path of a File the OS handed over, '' for one made in script.
      filePath: (file) => paths.get(file) ?? '',
    });
    expect(api).not.toHaveProperty('addDroppedFile');
    expect(preloadOnlyMethods).toContain('addDroppedFile');
    const dropped = new File(['a,b'], 'orders.csv');
    paths.set(dropped, '/home/sato/orders.csv');
    expect(await api.registerDroppedFile(dropped)).toEqual({ ok: true, value: { fileId: 'f1', fileName: 'orders.csv', sizeBytes: 10 } });
    // A File made in the page has no path: refused without a call. So is anything that is not a File.
    expect(await api.registerDroppedFile(new File(['x'], '/etc/passwd.csv'))).toBeNull();
    expect(await api.registerDroppedFile({ path: '/etc/passwd.csv' } as unknown as File)).toBeNull();
    expect(calls).toEqual([[channels.addDroppedFile.channel, { path: '/home/sato/orders.csv' }]]);
  });
});
