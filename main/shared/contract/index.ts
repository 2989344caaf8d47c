import type { z } from 'zod';
import { channels, events } from './channels';

/**
 * The IPC contract: every channel the renderer may call, with its input and output schema, and
 * every event main pushes to the renderer. Main registers handlers from `channels`; the preload
 * builds `window.api` from the same keys, so a channel cannot exist on one side only. The schemas
 * live by domain beside this file; every name is exported from here.
 */

export * from './batches';
export * from './bulk';
export * from './channels';
export * from './import';
export * from './lock';
export * from './masters';
export * from './records';
export * from './settings';
export * from './sync';

export type Channels = typeof channels;
export type Method = keyof Channels;
export type Input<M extends Method> = z.infer<Channels[M]['input']>;
export type Output<M extends Method> = z.infer<Channels[M]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]['payload']>;

export const methodNames = Object.keys(channels) as Method[];

/**
 * Channels that window.api does not offer by name: the preload calls them with what only it can know (a
 * dropped file's path, from the File object the page hands over), so the page cannot name their input.
 */
export const preloadOnlyMethods = ['addDroppedFile'] as const satisfies readonly Method[];
export type PreloadOnlyMethod = (typeof preloadOnlyMethods)[number];
/** The channels the page may call with an input of its own. */
export type PageMethod = Exclude<Method, PreloadOnlyMethod>;
export const pageMethodNames = methodNames.filter((m): m is PageMethod => !(preloadOnlyMethods as readonly Method[]).includes(m));
export const eventNames = Object.keys(events) as EventName[];
