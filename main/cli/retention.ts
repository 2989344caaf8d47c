import type { Command } from 'commander';
import type { TFunction } from 'i18next';
import { holdBatch, purgeNow, retentionDays, saveRetention } from '../operations';
import { parseOption } from '../operations/input';
import { channels } from '../shared/contract';
import { AppError } from '../shared/errors';
import type { Print, WithContext } from './context';
import { parseBatchId } from './exports';

function parseDays(text: string, option: string, min: number): number {
  const days = Number(text);
  if (!Number.isInteger(days) || days < min || days > 3650) throw new AppError('INVALID_INPUT', { option });
  return days;
}

/** purge, hold and retention: personal data that expires, except batches on legal hold. */
export function registerRetentionCommands(program: Command, withContext: WithContext, print: Print, t: TFunction): void {
  program
    .command('purge')
    .description(t('cli.help.purge.description'))
    .option('--days <n>', t('cli.help.purge.days'))
    .option('--json', t('cli.help.json'))
    .action((options: { days?: string }) =>
      withContext((ctx) => {
        const { days, ...result } = purgeNow(ctx, { days: options.days === undefined ? undefined : parseDays(options.days, '--days', 0) });
        const lines = [t('cli.purgedAll', { days, ...result })];
        if (result.inSync) lines.push(t('cli.purgeInSync', { count: result.inSync }));
        if (!result.walTruncated) lines.push(t('cli.purgeWalBusy'));
        print({ days, ...result }, lines.join('\n'));
      }),
    );

  program
    .command('hold')
    .description(t('cli.help.hold.description'))
    .argument('<batch-id>')
    .option('--release', t('cli.help.hold.release'))
    .action((batchId: string, options: { release?: boolean }) =>
      withContext((ctx) => {
        holdBatch(ctx, { batchId: parseBatchId(batchId), hold: !options.release });
        print(
          { batch_id: Number(batchId), legal_hold: !options.release },
          t(options.release ? 'cli.holdReleased' : 'cli.holdSet', { batchId }),
        );
      }),
    );

  const retention = program.command('retention').description(t('cli.help.retention.description'));
  retention
    .command('set')
    .description(t('cli.help.retention.set'))
    .argument('<days>', t('cli.help.retention.days'))
    .action((text: string) =>
      withContext((ctx) => {
        const days = parseOption(channels.saveRetention.input.shape.days, text === 'off' ? null : Number(text), 'days');
        saveRetention(ctx, { days });
        print({ retention_days: days }, days === null ? t('cli.retentionOff') : t('cli.retentionSet', { days }));
      }),
    );
  retention
    .command('show')
    .description(t('cli.help.retention.show'))
    .option('--json', t('cli.help.json'))
    .action(() =>
      withContext((ctx) => {
        const days = retentionDays(ctx);
        print({ retention_days: days }, days === null ? t('cli.retentionOff') : t('cli.retentionSet', { days }));
      }),
    );
}
