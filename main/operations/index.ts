/**
 * The operations layer: one function per thing a user can do, over the app context. The IPC handlers
 * (main/handlers) and the command line (main/cli) are thin adapters over these; see docs/ARCHITECTURE.md.
 */
export * from './access';
export * from './batches';
export * from './lock';
export * from './masters';
export * from './records';
export * from './retention';
export * from './settings';
export * from './store';
export * from './sync';
