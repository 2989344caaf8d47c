import type { Command } from 'commander';
import type { TFunction } from 'i18next';
import { saveBackend } from '../operations';
import { parseOption } from '../operations/input';
import { BackendUrl, channels } from '../shared/contract';
import { AppError } from '../shared/errors';
import { readSetting } from '../store/settings';
import type { Print, WithContext } from './context';
import { readStdin } from './stdin';

/** backend set and clear: the backend sync talks to, as the settings screen saves it. */
export function registerBackendCommands(
  program: Command,
  withContext: WithContext,
  print: Print,
  t: TFunction,
  env: NodeJS.ProcessEnv,
): void {
  // The remote arm of the settings screen's schema: the same checks for the same values.
  const remote = channels.saveBackend.input.options[1].shape;
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
      const checked = parseOption(BackendUrl, options.url, '--url');
      const clientId = parseOption(remote.clientId, options.clientId, '--client-id');
      const secret = (env.ORDER_STAGER_CLIENT_SECRET ?? (await readStdin())).trim();
      if (!secret) throw new AppError('INVALID_INPUT', { option: 'client secret' });
      const clientSecret = parseOption(remote.clientSecret, secret, 'client secret');
      await withContext((ctx) => {
        saveBackend(ctx, { mode: 'remote', url: checked, clientId, clientSecret });
        const url = readSetting(ctx.store.db, 'backendUrl', null);
        print({ url, client_id: clientId }, t('cli.backendSet', { url }));
      });
    });
  backend
    .command('clear')
    .description('forget the backend and its credentials (back to the built-in simulator)')
    .action(() =>
      withContext((ctx) => {
        saveBackend(ctx, { mode: 'simulator' });
        print({ url: null }, t('cli.backendCleared'));
      }),
    );
}
