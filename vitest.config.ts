import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The renderer's sources import main/shared as @shared, as electron-vite resolves it for the bundle.
  resolve: { alias: { '@shared': resolve(__dirname, 'main/shared') } },
  test: {
    include: ['main/**/*.test.ts', 'preload/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One file at a time: the sync and chaos tests measure timing, and on a 2-core machine another file's
    // processes running alongside would be measured with them.
    fileParallelism: false,
  },
});
