import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { bundledLicences, LICENCES_FILE, packagesOfModules } from './main/app/licences';

/**
 * Writes licences.json (name, version, licence of each package shipped) next to the bundle, for Help > About:
 * main lists the runtime dependencies electron-builder ships in node_modules, the renderer the packages it bundled.
 */
function licences(which: 'main' | 'renderer'): Plugin {
  return {
    name: 'order-stager-licences',
    generateBundle() {
      const names = which === 'main' ? undefined : packagesOfModules(this.getModuleIds());
      this.emitFile({ type: 'asset', fileName: LICENCES_FILE, source: `${JSON.stringify(bundledLicences(__dirname, names), null, 2)}\n` });
    },
  };
}

/**
 * The command line's texts (help for every command and option, table headers: about a quarter of each language
 * file) are never shown in the window: the renderer bundle gets the language files without them.
 */
function withoutCliTexts(): Plugin {
  return {
    name: 'order-stager-i18n-without-cli',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]main[\\/]shared[\\/]i18n[\\/](ja|en)\.json$/.test(id)) return null;
      const { cli: _cli, ...window } = JSON.parse(code) as Record<string, unknown>;
      return { code: JSON.stringify(window), map: null };
    },
  };
}

const shared = resolve(__dirname, 'main/shared');

export default defineConfig({
  main: {
    // Dependencies stay external (native better-sqlite3 must): electron-builder ships node_modules. string-width
    // (the command line's tables and help) is ESM only: bundled, so main's CommonJS never require()s an ES module.
    // import-worker.js: the import's worker thread (main/import/worker-host.ts finds it beside index.js).
    build: {
      externalizeDeps: { exclude: ['string-width'] },
      rollupOptions: {
        input: { index: resolve(__dirname, 'main/electron/index.ts'), 'import-worker': resolve(__dirname, 'main/import/worker-thread.ts') },
      },
    },
    resolve: { alias: { '@shared': shared } },
    plugins: [licences('main')],
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
    plugins: [withoutCliTexts(), react(), licences('renderer')],
  },
});
