import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const shared = resolve(__dirname, 'main/shared');

export default defineConfig({
  main: {
    // Dependencies stay external (native better-sqlite3 must): electron-builder ships node_modules.
    build: { externalizeDeps: true, rollupOptions: { input: { index: resolve(__dirname, 'main/electron/index.ts') } } },
    resolve: { alias: { '@shared': shared } },
  },
  preload: {
    // A sandboxed preload cannot require node_modules: bundle everything into one file.
    build: {
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: { input: { index: resolve(__dirname, 'preload/index.ts') } },
    },
    resolve: { alias: { '@shared': shared } },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    base: './',
    // Minified (electron-vite leaves it readable by default): ~1 MB to a third of it in app.asar, parsed at every start.
    build: { minify: 'esbuild', rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } } },
    resolve: { alias: { '@shared': shared } },
    plugins: [react()],
  },
});
