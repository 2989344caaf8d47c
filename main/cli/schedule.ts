import type { Command } from 'commander';
import type { TFunction } from 'i18next';
import { markReady, saveSchedule } from '../operations';
import { parseOption } from '../operations/input';
import { nextRunAfter, readyBatches } from '../schedule/scheduler';
import { channels } from '../shared/contract';
import { readSetting } from '../store/settings';
import type { Print, WithContext } from './context';
import { parseBatchId } from './exports';

/** ready and schedule: batches ready for unattended sync, and the desktop app's schedule. */
export function registerScheduleCommands(program: Command, withContext: WithContext, print: Print, t: TFunction): void {
  program
    .command('ready')
    .description('mark a batch ready for scheduled (unattended) sync, or unmark it')
    .argument('<batch-id>')
    .option('--unset', 'no longer ready')
    .action((batchId: string, options: { unset?: boolean }) =>
      withContext((ctx) => {
        markReady(ctx, { batchId: parseBatchId(batchId), ready: !options.unset });
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
        const cron = parseOption(channels.saveSchedule.input.shape.cron, expression === 'off' ? null : expression, 'expression');
        const { schedule: value, nextRun } = saveSchedule(ctx, { cron });
        const next = nextRun ?? '-';
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
        const info = {
          schedule: value,
          next_run: nextRunAfter(value),
          last_run: readSetting(ctx.store.db, 'syncScheduleLastRun', null),
          ready_batches: readyBatches(ctx.store.db),
        };
        print(info, JSON.stringify(info));
      }),
    );
}
