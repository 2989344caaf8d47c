import type { Command } from 'commander';
import type { TFunction } from 'i18next';
import { markReady, saveSchedule } from '../operations';
import { parseOption } from '../operations/input';
import { nextRunAfter, nextRunsAfter, readyBatches } from '../schedule/scheduler';
import { channels } from '../shared/contract';
import { readSetting } from '../store/settings';
import type { Print, WithContext } from './context';
import { parseBatchId } from './exports';
import { dateTime } from './human';
import { scheduleInWords } from './schedule-words';

interface ScheduleFacts {
  schedule: string | null;
  nextRuns: readonly string[];
  lastRun: string | null;
  readyBatches: readonly number[];
}

/** `schedule show` for people: the schedule in words, its next runs and the last in local time, the ready batches. */
export function scheduleText(t: TFunction, facts: ScheduleFacts): string {
  if (!facts.schedule) return t('cli.schedule.none');
  return [
    t('cli.schedule.current', { schedule: scheduleInWords(t, facts.schedule), expression: facts.schedule }),
    ...(facts.nextRuns.length
      ? [t('cli.schedule.nextRuns'), ...facts.nextRuns.map((run) => `  ${dateTime(t, run)}`)]
      : [t('cli.schedule.noNextRun')]),
    facts.lastRun ? t('cli.schedule.lastRun', { time: dateTime(t, facts.lastRun) }) : t('cli.schedule.lastRunNever'),
    facts.readyBatches.length
      ? t('cli.schedule.readyBatches', { ids: facts.readyBatches.join(t('cli.schedule.listSeparator')) })
      : t('cli.noReadyBatches'),
  ].join('\n');
}

/** ready and schedule: batches ready for unattended sync, and the desktop app's schedule. */
export function registerScheduleCommands(program: Command, withContext: WithContext, print: Print, t: TFunction): void {
  program
    .command('ready')
    .description(t('cli.help.ready.description'))
    .argument('<batch-id>')
    .option('--unset', t('cli.help.ready.unset'))
    .action((batchId: string, options: { unset?: boolean }) =>
      withContext((ctx) => {
        markReady(ctx, { batchId: parseBatchId(batchId), ready: !options.unset });
        print({ batch_id: Number(batchId), ready: !options.unset }, t(options.unset ? 'cli.readyUnset' : 'cli.readySet', { batchId }));
      }),
    );

  const schedule = program.command('schedule').description(t('cli.help.schedule.description'));
  schedule
    .command('set')
    .description(t('cli.help.schedule.set'))
    .argument('<expression>', t('cli.help.schedule.expression'))
    .action((expression: string) =>
      withContext((ctx) => {
        const cron = parseOption(channels.saveSchedule.input.shape.cron, expression === 'off' ? null : expression, 'expression');
        const { schedule: value, nextRun } = saveSchedule(ctx, { cron });
        const text = value
          ? t('cli.schedule.saved', {
              schedule: scheduleInWords(t, value),
              expression: value,
              next: nextRun ? dateTime(t, nextRun) : t('cli.schedule.noNextRun'),
            })
          : t('cli.schedule.cleared');
        print({ schedule: value, next_run: nextRun ?? '-' }, text);
      }),
    );
  schedule
    .command('show')
    .description(t('cli.help.schedule.show'))
    .option('--json', t('cli.help.json'))
    .action(() =>
      withContext((ctx) => {
        const value = readSetting(ctx.store.db, 'syncSchedule', null);
        const info = {
          schedule: value,
          next_run: nextRunAfter(value),
          last_run: readSetting(ctx.store.db, 'syncScheduleLastRun', null),
          ready_batches: readyBatches(ctx.store.db),
        };
        const text = scheduleText(t, {
          schedule: value,
          nextRuns: nextRunsAfter(value, 3),
          lastRun: info.last_run,
          readyBatches: info.ready_batches,
        });
        print(info, text);
      }),
    );
}
