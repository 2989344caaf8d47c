/**
 * main/ipc is now main/handlers (it holds the channel handlers, not IPC). This re-export stays only until
 * main/sync/run-record.test.ts (owned by the sync work of issue 16) imports '../handlers/events'; delete it then.
 */
export * from '../handlers/events';
