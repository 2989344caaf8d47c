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
  const backend = program.command('backend').description(t('cli.help.backend.description'));
  backend
    .command('set')
    .description(t('cli.help.backend.set'))
    .requiredOption('--url <url>', t('cli.help.backend.url'))
    .requiredOption('--client-id <id>', t('cli.help.backend.clientId'))
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
    .description(t('cli.help.backend.clear'))
    .action(() =>
      withContext((ctx) => {
        saveBackend(ctx, { mode: 'simulator' });
        print({ url: null }, t('cli.backendCleared'));
      }),
    );
}
