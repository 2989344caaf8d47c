import { appendFileSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { TFunction } from 'i18next';
import { auditHead } from '../audit/log';
import { AppError } from '../shared/errors';
import { readyBatches } from '../schedule/scheduler';
import { connectBackend } from '../sync/backend';
import { assertBatches, DEFAULT_SYNC_SETTINGS, SyncEngine, type SyncProgress, type SyncSettings } from '../sync/engine';
import { stateCounts } from '../sync/state';
import { progressLine, progressReporter } from './sync-progress';
import type { CliContext } from './context';
import { readStdin } from './records';

type WithContext = (fn: (ctx: CliContext) => Promise<void> | void) => Promise<void>;

interface SyncOptions {
  batch: string[];
  ready?: boolean;
  backend?: string;
  clientId?: string;
  clientSecretStdin?: boolean;
  config?: string;
  retryFailed?: boolean;
  reconcile?: boolean;
  appendHead?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function loadSettings(file: string | undefined): Partial<SyncSettings> {
  if (!file) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SyncSettings>;
    return { ...parsed, services: { ...DEFAULT_SYNC_SETTINGS.services, ...parsed.services } as SyncSettings['services'] };
  } catch {
    throw new AppError('INVALID_INPUT', { option: '--config' });
  }
}

function batchesToSync(ctx: CliContext, requested: string[]): number[] {
  if (requested.length) {
    const ids = requested.map(Number);
    assertBatches(ctx.store.db, ids);
    return ids;
  }
  const rows = ctx.store.db
    .prepare(
      `SELECT DISTINCT o.batch_id FROM orders o LEFT JOIN sync_state s ON s.order_id = o.id
       WHERE o.validation_status = 'valid' AND o.purged_at IS NULL AND (s.state IS NULL OR s.state NOT IN ('done', 'failed')) ORDER BY o.batch_id`,
    )
    .all() as { batch_id: number }[];
  return rows.map((r) => r.batch_id);
}

/**
 * withContext that, after the run (whatever its outcome, also when nothing was ready), appends the audit
 * log's head to a file the staff chose, "time seq hash" per line. Kept off this machine, it is what shows a
 * log shortened or rebuilt by someone holding the store key (audit verify --expect-heads-file).
 */
function withHeadAppended(
  withContext: WithContext,
  file: string | undefined,
  io: { stderr: (t: string) => void },
  t: TFunction,
): WithContext {
  if (!file) return withContext;
  return (run) =>
    withContext(async (ctx) => {
      try {
        await run(ctx);
      } finally {
        const head = auditHead(ctx.store.db);
        appendFileSync(file, `${new Date().toISOString()} ${head.seq} ${head.hash}\n`, { mode: 0o600 });
        io.stderr(`${t('cli.headAppended', { file })}\n`);
      }
    });
}

export function registerSyncCommand(
  program: Command,
  withContext: WithContext,
  io: { stdout: (t: string) => void; stderr: (t: string) => void; env: NodeJS.ProcessEnv },
  t: TFunction,
): { exitCode: number } {
  const result = { exitCode: 0 };
  program
    .command('sync')
    .description(t('cli.help.sync.description'))
    .option('--batch <id>', t('cli.help.sync.batch'), collect, [])
    .option('--ready', t('cli.help.sync.ready'))
    .option('--backend <url>', t('cli.help.sync.backend'))
    .option('--client-id <id>', t('cli.help.sync.clientId'))
    .option('--client-secret-stdin', t('cli.help.sync.clientSecretStdin'))
    .option('--config <file>', t('cli.help.sync.config'))
    .option('--retry-failed', t('cli.help.sync.retryFailed'))
    .option('--reconcile', t('cli.help.sync.reconcile'))
    .option('--append-head <file>', t('cli.help.sync.appendHead'))
    .option('--json', t('cli.help.sync.json'))
    .action((options: SyncOptions) =>
      withHeadAppended(
        withContext,
        options.appendHead,
        io,
        t,
      )(async (ctx) => {
        const db = ctx.store.db;
        const batchIds = options.ready ? readyBatches(db) : batchesToSync(ctx, options.batch);
        if (options.ready && batchIds.length === 0) {
          io.stdout(
            options.json
              ? `${JSON.stringify({ batch_ids: [], orders: { done: 0, failed: 0, needs_review: 0, remaining: 0 } })}\n`
              : `${t('cli.noReadyBatches')}\n`,
          );
          return;
        }
        const settings = loadSettings(options.config);
        const stdinSecret = options.clientSecretStdin ? (await readStdin()).trim() : '';
        const backend = await connectBackend(db, {
          url: options.backend,
          clientId: options.clientId,
          clientSecret: stdinSecret || io.env.ORDER_STAGER_CLIENT_SECRET,
          settings,
          env: io.env,
        });
        const sim = backend.simulator;
        if (sim) io.stderr(`${t('cli.syncDemo', { url: sim.url })}\n`);
        const engine = new SyncEngine(db, backend.client, backend.settings, ctx.actor, backend.identity);
        const interactive = Boolean(process.stderr.isTTY);
        if (options.json) {
          let lastLine = 0;
          engine.on('progress', (p: SyncProgress) => {
            const now = Date.now();
            if (interactive) io.stderr(`\r${progressLine(t, p)}`);
            else if (now - lastLine > 2000 || p.state === 'finished' || p.state === 'cancelled') {
              lastLine = now;
              io.stderr(`${progressLine(t, p)}\n`);
            }
          });
        } else {
          const review = stateCounts(db, batchIds).byState.needs_review;
          if (review > 0) io.stderr(`${t('cli.syncHealing', { count: review })}\n`);
          engine.on('progress', progressReporter(t, io.stderr, interactive));
        }
        const onSignal = () => engine.cancel();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          const summary = await engine.run(batchIds, { retryFailed: options.retryFailed, reconcileOnly: options.reconcile });
          if (interactive) io.stderr('\n');
          const out = {
            batch_id: batchIds.length === 1 ? batchIds[0] : null,
            batch_ids: batchIds,
            orders: {
              done: summary.orders.done,
              failed: summary.orders.failed,
              needs_review: summary.orders.needs_review,
              remaining: summary.orders.remaining,
            },
            duration_s: summary.duration_s,
            requests: summary.requests,
            retries: summary.retries,
            rate_limited: summary.rate_limited,
            yen: summary.yen,
            outcome: summary.outcome,
          };
          io.stdout(
            options.json
              ? `${JSON.stringify(out, null, 2)}\n`
              : `${t('cli.syncDone', { ...out.orders, duration: out.duration_s, retries: out.retries, rateLimited: out.rate_limited })}\n`,
          );
          result.exitCode = summary.orders.failed + summary.orders.needs_review + summary.orders.remaining > 0 ? 1 : 0;
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          await sim?.close();
        }
      }),
    );
  return result;
}
