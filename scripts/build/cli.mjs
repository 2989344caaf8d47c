#!/usr/bin/env node
// @ts-check
/**
 * Bundles the command line (main/cli/index.ts) into one CommonJS file for plain Node: out/cli/index.js.
 * Every JavaScript dependency is inside the bundle (one file to read at start-up: `--help` answers in well
 * under 300 ms); only the native SQLCipher driver stays external, loaded from node_modules at run time.
 *
 *   node scripts/build/cli.mjs           build (part of `npm run build`)
 *   node scripts/build/cli.mjs --if-stale  build only when a source file is newer than the bundle (`npm run cli`)
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI_BUNDLE = join(ROOT, 'out', 'cli', 'index.js');
/** What the bundle is made of: a change to any of these makes it stale. */
const SOURCES = ['main', 'package.json', 'package-lock.json'];

/** @param {string} path @returns {number} the newest modification time under path (0 when absent) */
function newest(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && !entry.name.endsWith('.test.ts')) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

export function isStale() {
  const built = newest(CLI_BUNDLE);
  return built === 0 || SOURCES.some((source) => newest(join(ROOT, source)) > built);
}

export async function buildCli() {
  await build({
    entryPoints: [join(ROOT, 'main', 'cli', 'index.ts')],
    outfile: CLI_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: true,
    // The native driver must be loaded from its own folder (its .node file is found relative to it).
    external: ['better-sqlite3-multiple-ciphers'],
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!process.argv.includes('--if-stale') || isStale()) await buildCli();
}
