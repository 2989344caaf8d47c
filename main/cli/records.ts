import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createI18n } from '../shared/i18n';
import type { TFunction } from 'i18next';
import { appendAudit } from '../audit/log';
import { writePrivateFile } from '../config/private-files';
import { recordExport, renderBatchExport } from '../export/export';
import { reimportIntoBatch } from '../import/reimport';
import { checkBackendUrl } from '../shared/backend-url';
import { AppError } from '../shared/errors';
import { Cron } from 'croner';
import { readyBatches, setBatchReady, validateSchedule } from '../schedule/scheduler';
import { backupStore, restoreStore } from '../store/backup';
import { readSetting, writeSetting } from '../store/settings';
import { type CliContext, type GlobalOptions, resolveCliStore } from './context';
import { type FileOptions, parseFileOptions, readCliFile } from './import-options';

type WithContext = (fn: (ctx: CliContext) => Promise<void> | void) => Promise<void>;
type Print = (value: unknown, text: string) => void;

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Commands for issue 6: error/success export and re-import, schedule, backend and backup (audit and retention have their own files). */
export function registerRecordCommands(
  program: Command,
  withContext: WithContext,
  print: Print,
  t: TFunction,
  io: { stderr: (text: string) => void; env: NodeJS.ProcessEnv },
): void {
  program
    .command('export')
    .description("export a batch's failed and invalid orders (to fix and re-import) or its success report")
    .argument('<batch-id>')
    .option('--errors', 'failed and invalid orders: original columns + error code, message and source row (default)')
    .option('--success', 'synced orders with backend order id, payment id and transaction id')
    .option('--format <format>', 'csv or xlsx', 'csv')
    .option(
      '--encoding <enc>',
      'for csv: utf-8 (with BOM) or shift_jis (CP932; a character it cannot hold is refused, naming the rows)',
      'utf-8',
    )
    .option('--lang <lang>', 'language of messages and headers: ja or en', 'ja')
    .requiredOption('--out <file>', 'where to write it')
    .option('--json', 'print JSON')
    .action((batchId: string, options: { success?: boolean; format: string; encoding: string; lang: string; out: string }) =>
      withContext((ctx) => {
        if (!['csv', 'xlsx'].includes(options.format)) throw new AppError('INVALID_INPUT', { option: '--format' });
        if (!['utf-8', 'shift_jis'].includes(options.encoding)) throw new AppError('INVALID_INPUT', { option: '--encoding' });
        const id = Number(batchId);
        const request = {
          batchId: id,
          kind: options.success ? ('success' as const) : ('errors' as const),
          format: options.format as 'csv' | 'xlsx',
          encoding: options.encoding as 'utf-8' | 'shift_jis',
        };
        const result = renderBatchExport(ctx.store.db, { ...request, t: createI18n(options.lang === 'en' ? 'en' : 'ja').t });
        writePrivateFile(options.out, result.bytes);
        recordExport(ctx.store.db, { ...request, rows: result.rows, actor: ctx.actor });
        print({ batch_id: id, out: options.out, rows: result.rows }, t('cli.exported', { out: options.out, rows: result.rows }));
      }),
    );

  program
    .command('reimport')
    .description('import a corrected error file back into its batch: orders are matched by order number and revalidated, never duplicated')
    .argument('<batch-id>')
    .argument('<file>')
    .option('--encoding <enc>', 'text encoding: auto, utf-8, shift_jis, euc-jp, utf-16le or utf-16be', 'auto')
    .option('--header-row <n>', 'the row (as Excel numbers it) holding the headers, when it is not found automatically')
    .option('--json', 'print JSON')
    .action((batchId: string, file: string, options: FileOptions) =>
      withContext((ctx) => {
        const result = reimportIntoBatch(ctx.store.db, {
          batchId: Number(batchId),
          ...readCliFile(file),
          ...parseFileOptions(options),
          actor: ctx.actor,
        });
        print(
          {
            batch_id: result.batchId,
            updated: result.updated,
            valid: result.valid,
            invalid: result.invalid,
            not_in_batch: result.notInBatch,
            locked: result.locked,
          },
          t('cli.reimported', {
            batchId: result.batchId,
            updated: result.updated,
            valid: result.valid,
            invalid: result.invalid,
            notInBatch: result.notInBatch.length,
            locked: result.locked.length,
          }),
        );
      }),
    );

  program
    .command('ready')
    .description('mark a batch ready for scheduled (unattended) sync, or unmark it')
    .argument('<batch-id>')
    .option('--unset', 'no longer ready')
    .action((batchId: string, options: { unset?: boolean }) =>
      withContext((ctx) => {
        setBatchReady(ctx.store.db, Number(batchId), !options.unset, ctx.actor);
        print({ batch_id: Number(batchId), ready: !options.unset }, t(options.unset ? 'cli.readyUnset' : 'cli.readySet', { batchId }));
      }),
    );

  const schedule = program.command('schedule').description('the unattended sync schedule (cron syntax), used by the desktop app');
  schedule
    .command('set')
    .description('set the schedule, e.g. "0 2 * * 1-5" (weekdays 02:00) or "*/15 * * * *"; "off" removes it')
    .argument('<expression>')
    .action((expression: string) =>
      withContext((ctx) => {
        const value = expression === 'off' ? null : expression;
        if (value) validateSchedule(value);
        writeSetting(ctx.store.db, 'syncSchedule', value);
        appendAudit(ctx.store.db, { actor: ctx.actor, action: 'settings.changed', details: { setting: 'syncSchedule', value } });
        const next = value ? (new Cron(value, { paused: true }).nextRun()?.toISOString() ?? '-') : '-';
        print({ schedule: value, next_run: next }, t('cli.scheduleSet', { expression: value ?? 'off', next }));
      }),
    );
  schedule
    .command('show')
    .description('show the schedule, its next run and the batches that are ready')
    .option('--json', 'print JSON')
    .action(() =>
      withContext((ctx) => {
        const value = readSetting(ctx.store.db, 'syncSchedule', null);
        const next = value ? (new Cron(value, { paused: true }).nextRun()?.toISOString() ?? null) : null;
        const info = {
          schedule: value,
          next_run: next,
          last_run: readSetting(ctx.store.db, 'syncScheduleLastRun', null),
          ready_batches: readyBatches(ctx.store.db),
        };
        print(info, JSON.stringify(info));
      }),
    );

  const backend = program.command('backend').description('the backend the sync talks to (none: the built-in simulator, demo mode)');
  backend
    .command('set')
    .description(
      'store the backend URL and OAuth client id; the secret is read from ORDER_STAGER_CLIENT_SECRET or standard input, kept in the encrypted store and never printed',
    )
    .requiredOption('--url <url>', 'backend base URL (https)')
    .requiredOption('--client-id <id>', 'OAuth client id')
    .action(async (options: { url: string; clientId: string }) => {
      // Checked before the secret is read: a refused URL never gets one.
      const check = checkBackendUrl(options.url);
      if (!check.ok) throw new AppError(check.code, check.params);
      const url = check.url.href;
      const secret = (io.env.ORDER_STAGER_CLIENT_SECRET ?? (await readStdin())).trim();
      if (!secret) throw new AppError('INVALID_INPUT', { option: 'client secret' });
      await withContext((ctx) => {
        const db = ctx.store.db;
        db.transaction(() => {
          writeSetting(db, 'backendUrl', url);
          writeSetting(db, 'backendClientId', options.clientId);
          writeSetting(db, 'backendClientSecret', secret);
          appendAudit(db, {
            actor: ctx.actor,
            action: 'settings.changed',
            details: { setting: 'backend', url, client_id: options.clientId },
          });
        })();
        print({ url, client_id: options.clientId }, t('cli.backendSet', { url }));
      });
    });
  backend
    .command('clear')
    .description('forget the backend and its credentials (back to the built-in simulator)')
    .action(() =>
      withContext((ctx) => {
        const db = ctx.store.db;
        db.transaction(() => {
          for (const key of ['backendUrl', 'backendClientId', 'backendClientSecret'] as const) writeSetting(db, key, null);
          appendAudit(db, { actor: ctx.actor, action: 'settings.changed', details: { setting: 'backend', url: null } });
        })();
        print({ url: null }, t('cli.backendCleared'));
      }),
    );

  const store = program.commands.find((c) => c.name() === 'store') as Command;
  store
    .command('backup')
    .description('copy the store, still encrypted with its key, to a file (checked after writing)')
    .requiredOption('--out <file>', 'backup file (must not exist)')
    .action((options: { out: string }) =>
      withContext((ctx) => {
        const result = backupStore(ctx.store, resolve(options.out), ctx.keySource.key);
        appendAudit(ctx.store.db, { actor: ctx.actor, action: 'store.backed_up', details: {} });
        print(result, t('cli.backedUp', { out: result.path }));
      }),
    );
  store
    .command('restore')
    .description('replace the store with a backup taken with the same key (the current file is kept aside)')
    .requiredOption('--from <file>', 'backup file')
    .action(async (options: { from: string }) => {
      const { dbPath, key } = resolveCliStore(program.opts<GlobalOptions>(), io.env, (path) =>
        io.stderr(`${t('cli.keyFileCreated', { path })}\n`),
      );
      const result = restoreStore(dbPath, resolve(options.from), key.key);
      await withContext((ctx) => {
        appendAudit(ctx.store.db, { actor: ctx.actor, action: 'store.restored', details: {} });
      });
      print({ restored: dbPath, previous: result.previous }, t('cli.restored', { path: dbPath, previous: result.previous ?? '-' }));
    });
}
