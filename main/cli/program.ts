import { type Command, CommanderError } from 'commander';
import { parseOption } from '../operations/input';
import { Locale } from '../shared/contract';
import { createI18n, type TFunction } from '../shared/i18n';
import { toErrorInfo } from '../shared/errors';
import pkg from '../../package.json';
import { registerAuditCommands } from './audit';
import { registerBatchesCommand } from './batches';
import { registerBulkCommands } from './bulk';
import { localizeHelp } from './help';
import { localizedCommand } from './usage-errors';
import { cliLocale } from './locale';
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
  const i18n = createI18n(cliLocale(argv, io.env));
  const t = i18n.t.bind(i18n);
  const json = argv.includes('--json');
  const { program, exit } = buildProgram(t, io, json);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return Math.max(...exit.map((command) => command.exitCode));
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

/** Every command, described in the language of `t` (help included); `exit` holds the status sync and bulk-set set. */
export function buildProgram(t: TFunction, io: CliIo, json: boolean): { program: Command; exit: { exitCode: number }[] } {
  const program = localizeHelp(localizedCommand('order-stager', t), t)
    .description(t('cli.description'))
    .version(pkg.version, '-v, --version', t('cli.help.version'))
    .option('--data-dir <dir>', t('cli.help.dataDir'))
    .option('--key-file <file>', t('cli.help.keyFile'))
    .option('--lang <lang>', t('cli.help.lang'))
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  // Checked like every other option (INVALID_INPUT), before any command runs.
  program.hook('preAction', () => {
    const lang = program.opts<{ lang?: string }>().lang;
    if (lang !== undefined) parseOption(Locale, lang, '--lang');
  });

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

  registerBatchesCommand(program, withContext, print, t);
  registerOrderCommands(program, withContext, print, t);
  const bulk = registerBulkCommands(program, withContext, print, t);
  registerMasterCommands(program, withContext, print, t);
  const sync = registerSyncCommand(program, withContext, io, t);
  registerRecordCommands(program, withContext, print, t, io);
  registerAuditCommands(program, withContext, print, t);
  registerRetentionCommands(program, withContext, print, t);
  registerUpdateCommands(program, withContext, print, t);

  program
    .command('sim')
    .description(t('cli.help.sim.description'))
    .option('--port <port>', t('cli.help.sim.port'), '8787')
    .option('--config <file>', t('cli.help.sim.config'))
    .option('--client-id <id>', t('cli.help.sim.clientId'))
    .option('--client-secret <secret>', t('cli.help.sim.clientSecret'))
    .option('--persist <file>', t('cli.help.sim.persist'))
    .action(async (options: { port: string; config?: string; clientId?: string; clientSecret?: string; persist?: string }) => {
      const sim = await runSimulatorFromCli(options);
      io.stdout(`${t('cli.simListening', { url: sim.url })}\n`);
      await waitForStopSignal();
      await sim.close();
    });
  return { program, exit: [sync, bulk] };
}
