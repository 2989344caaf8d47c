import { basename } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { settingsView } from '../operations/settings';
import type { AppContext } from './context';

/** Versions of what runs the app: Electron's process.versions in the desktop app. */
export interface RuntimeVersions {
  electron?: string;
  node: string;
  chrome?: string;
  v8?: string;
}

/** What a diagnostics bundle says about this installation: versions and store facts. No data, no key, no path. */
export interface DiagnosticFacts {
  createdAt: string;
  app: { version: string; locale: string; packaged: boolean };
  runtime: RuntimeVersions;
  os: { platform: string; release: string; arch: string };
  store: {
    encrypted: boolean;
    cipher: string;
    schemaVersion: number;
    pageSize: number;
    sizeBytes: number;
    batches: number;
    orders: number;
  };
  backend: { mode: 'simulator' | 'remote' };
  schedule: { on: boolean; lastRun: string | null };
  retentionDays: number | null;
}

/**
 * The facts of `store info` and the settings screen, taken field by field (never the store's path, which holds
 * the OS user name, nor the backend URL or client id, nor anything of an order).
 */
export function diagnosticFacts(
  ctx: AppContext,
  env: { runtime: RuntimeVersions; os: DiagnosticFacts['os']; packaged: boolean; now?: Date },
): DiagnosticFacts {
  const view = settingsView(ctx);
  const count = (table: 'batches' | 'orders') => (ctx.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    createdAt: (env.now ?? new Date()).toISOString(),
    app: { version: ctx.version, locale: view.locale, packaged: env.packaged },
    runtime: { node: env.runtime.node, electron: env.runtime.electron, chrome: env.runtime.chrome, v8: env.runtime.v8 },
    os: { platform: env.os.platform, release: env.os.release, arch: env.os.arch },
    store: {
      encrypted: view.store.encrypted,
      cipher: view.store.cipher,
      schemaVersion: view.store.schemaVersion,
      pageSize: view.store.pageSize,
      sizeBytes: view.store.sizeBytes,
      batches: count('batches'),
      orders: count('orders'),
    },
    backend: { mode: view.backend.mode },
    schedule: { on: view.schedule.cron !== null, lastRun: view.schedule.lastRun },
    retentionDays: view.retentionDays,
  };
}

/**
 * The "Help > Save diagnostics…" zip: facts.json and the log files (which hold codes, ids and counts only,
 * main/app/log.ts). Log files are named by their base name; nothing else from the disk goes in.
 */
export function diagnosticsZip(facts: DiagnosticFacts, logs: { path: string; bytes: Uint8Array }[]): Uint8Array {
  const files: Record<string, Uint8Array> = { 'facts.json': strToU8(`${JSON.stringify(facts, null, 2)}\n`) };
  for (const log of logs) files[`logs/${basename(log.path)}`] = log.bytes;
  return zipSync(files, { level: 6, mtime: new Date(facts.createdAt) });
}

/** The file name the save dialog proposes: no user or machine name in it. */
export function diagnosticsFileName(now: Date): string {
  return `order-stager-diagnostics-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.zip`;
}
