import { describe, expect, it } from 'vitest';
import { channels, events, methodNames } from '../main/shared/contract';
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
    expect(Object.keys(api).sort()).toEqual([...methodNames, 'filePath', 'on'].sort());
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
});
