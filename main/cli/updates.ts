import type { Command } from 'commander';
import type { TFunction } from 'i18next';
import { saveUpdateUrl, settingsView } from '../operations';
import { parseOption } from '../operations/input';
import { channels } from '../shared/contract';
import type { Print, WithContext } from './context';

/** updates set / off / show: where the desktop app looks for updates (off by default). */
export function registerUpdateCommands(program: Command, withContext: WithContext, print: Print, t: TFunction): void {
  const updates = program.command('updates').description(t('cli.help.updates.description'));
  updates
    .command('set')
    .description(t('cli.help.updates.set'))
    .requiredOption('--url <url>', t('cli.help.updates.url'))
    .option('--json', t('cli.help.json'))
    .action((options: { url: string }) =>
      withContext((ctx) => {
        const url = parseOption(channels.saveUpdateUrl.input.shape.url, options.url, '--url');
        saveUpdateUrl(ctx, { url });
        print({ update_url: url }, t('cli.updatesSet', { url }));
      }),
    );
  updates
    .command('off')
    .description(t('cli.help.updates.off'))
    .option('--json', t('cli.help.json'))
    .action(() =>
      withContext((ctx) => {
        saveUpdateUrl(ctx, { url: null });
        print({ update_url: null }, t('cli.updatesOff'));
      }),
    );
  updates
    .command('show')
    .description(t('cli.help.updates.show'))
    .option('--json', t('cli.help.json'))
    .action(() =>
      withContext((ctx) => {
        const url = settingsView(ctx).updates.url;
        print({ update_url: url }, url === null ? t('cli.updatesOff') : t('cli.updatesSet', { url }));
      }),
    );
}
