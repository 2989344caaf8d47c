import type { Command } from 'commander';
import type { TFunction } from 'i18next';
import { saveUpdateUrl, settingsView } from '../operations';
import { parseOption } from '../operations/input';
import { channels } from '../shared/contract';
import type { Print, WithContext } from './context';

/** updates set / off / show: where the desktop app looks for updates (off by default). */
export function registerUpdateCommands(program: Command, withContext: WithContext, print: Print, t: TFunction): void {
  const updates = program.command('updates').description('where the desktop app looks for updates (off unless a URL is set)');
  updates
    .command('set')
    .description('look for updates at this URL (electron-updater generic feed: latest.yml; https)')
    .requiredOption('--url <url>', 'the update feed')
    .option('--json', 'print JSON')
    .action((options: { url: string }) =>
      withContext((ctx) => {
        const url = parseOption(channels.saveUpdateUrl.input.shape.url, options.url, '--url');
        saveUpdateUrl(ctx, { url });
        print({ update_url: url }, t('cli.updatesSet', { url }));
      }),
    );
  updates
    .command('off')
    .description('never look for updates (the default)')
    .option('--json', 'print JSON')
    .action(() =>
      withContext((ctx) => {
        saveUpdateUrl(ctx, { url: null });
        print({ update_url: null }, t('cli.updatesOff'));
      }),
    );
  updates
    .command('show')
    .description('show the update feed')
    .option('--json', 'print JSON')
    .action(() =>
      withContext((ctx) => {
        const url = settingsView(ctx).updates.url;
        print({ update_url: url }, url === null ? t('cli.updatesOff') : t('cli.updatesSet', { url }));
      }),
    );
}
