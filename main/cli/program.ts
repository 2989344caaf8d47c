import { Command, CommanderError } from 'commander';
import { createI18n, localeFromEnv } from '../shared/i18n';
import { toErrorInfo } from '../shared/errors';
import { listBatches } from '../store/batches';
import pkg from '../../package.json';
import { registerAuditCommands } from './audit';
import { registerMasterCommands } from './masters';
import { registerOrderCommands } from './orders';
import { registerRecordCommands } from './records';
import { registerRetentionCommands } from './retention';
import { runSimulatorFromCli, waitForStopSignal } from './sim';
import { registerStoreCommands } from './store';
import { registerSyncCommand } from './sync';
import { registerUpdateCommands } from './updates';
import { type CliContext, type GlobalOptions, openCliContext } from './context';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

/**
 * Runs the command line and resolves to the exit status. Every failure becomes a translated message
 * with its stable code (or JSON with --json) and a non-zero status; no stack trace reaches the user.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const i18n = createI18n(localeFromEnv(io.env.ORDER_STAGER_LANG ?? io.env.LC_ALL ?? io.env.LANG));
  const t = i18n.t.bind(i18n);
  const json = argv.includes('--json');

  const program = new Command('order-stager')
    .description(t('cli.description'))
    .version(pkg.version, '-v, --version')
    .option('--data-dir <dir>', 'folder of the encrypted store (default: the per-user app-data folder)')
    .option('--key-file <file>', 'file holding the 64-hex-character store key (default: ORDER_STAGER_KEY, then the CLI key file)')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const withContext = async (fn: (ctx: CliContext) => Promise<void> | void): Promise<void> => {
    const ctx = openCliContext(program.opts<GlobalOptions>(), io.env, (path) => io.stderr(`${t('cli.keyFileCreated', { path })}\n`));
    try {
      await fn(ctx);
    } finally {
      ctx.close();
    }
  };
  const print = (value: unknown, text: string) => io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);

  registerStoreCommands(program, withContext, print, t, io);

  program
    .command('batches')
    .description('list imported batches with their counts')
    .option('--json', 'print JSON')
    .action(() =>
      withContext((ctx) => {
        const batches = listBatches(ctx.store.db);
        const text = batches.length
          ? batches
              .map((b) => `${b.id}\t${b.sourceFileName}\t${b.orders.total}\t${b.orders.valid}\t${b.orders.invalid}\t${b.status}`)
              .join('\n')
          : t('cli.batchesEmpty');
        print(batches, text);
      }),
    );

  registerOrderCommands(program, withContext, print, t);
  registerMasterCommands(program, withContext, print, t);
  const sync = registerSyncCommand(program, withContext, io, t);
  registerRecordCommands(program, withContext, print, t, io);
  registerAuditCommands(program, withContext, print, t);
  registerRetentionCommands(program, withContext, print, t);
  registerUpdateCommands(program, withContext, print, t);

  program
    .command('sim')
    .description('run the built-in backend simulator (reference Order, Payment, Notification and OAuth services) on 127.0.0.1')
    .option('--port <port>', 'port to listen on (0 = any free port)', '8787')
    .option('--config <file>', 'JSON file with limits and faults (see main/simulator/config.ts)')
    .option('--client-id <id>', 'OAuth client id (default order-stager-demo)')
    .option('--client-secret <secret>', 'OAuth client secret (default demo-secret)')
    .option('--persist <file>', 'keep the simulator state in this SQLite file across restarts')
    .action(async (options: { port: string; config?: string; clientId?: string; clientSecret?: string; persist?: string }) => {
      const sim = await runSimulatorFromCli(options);
      io.stdout(`${t('cli.simListening', { url: sim.url })}\n`);
      await waitForStopSignal();
      await sim.close();
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return sync.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander but successes to the user.
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    const info = toErrorInfo(error);
    const message = t(`errors.${info.code}`, info.params);
    if (json) io.stdout(`${JSON.stringify({ error: { code: info.code, message } })}\n`);
    io.stderr(`${t('cli.error', { code: info.code, message })}\n`);
    if (info.code === 'INTERNAL' && io.env.ORDER_STAGER_DEBUG) io.stderr(`${String((error as Error)?.stack)}\n`);
    return 1;
  }
}
