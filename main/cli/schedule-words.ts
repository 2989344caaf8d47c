import type { TFunction } from 'i18next';
import { cronToPicker } from '../shared/schedule';

const EVERY = /^\*\/(\d{1,2})$/;

/** Every N minutes, or every N hours on the hour: intervals the picker does not offer, said as an interval. */
function interval(t: TFunction, expression: string): string | null {
  const [minute = '', hour = '', ...rest] = expression.trim().split(/\s+/);
  if (rest.length !== 3 || rest.some((field) => field !== '*')) return null;
  const minutes = minute.match(EVERY);
  if (minutes && hour === '*') return t('cli.schedule.everyMinutes', { count: Number(minutes[1]) });
  const hours = hour.match(EVERY);
  if (hours && minute === '0') return t('cli.schedule.everyHours', { count: Number(hours[1]) });
  return null;
}

/**
 * A stored schedule in words for staff ("平日02:00", "毎日02:00、14:00", "毎週月・水・金の08:30", "15分ごと"), read
 * with the settings screen's own picker reading (main/shared/schedule.ts); one too unusual to say simply is
 * shown as it is. Day names are the settings screen's (`settings.weekday.*`), separators `cli.schedule.*`, in the language of `t`.
 */
export function scheduleInWords(t: TFunction, expression: string): string {
  const picker = cronToPicker(expression);
  if (!picker) return interval(t, expression) ?? t('cli.schedule.custom', { expression });
  const times = picker.times.join(t('cli.schedule.listSeparator'));
  if (picker.days.kind === 'daily') return t('cli.schedule.daily', { times });
  if (picker.days.kind === 'weekdays') return t('cli.schedule.weekdays', { times });
  const days = picker.days.days.map((day) => t(`settings.weekday.${day}`)).join(t('cli.schedule.daySeparator'));
  return t('cli.schedule.weekly', { days, times });
}
