import type { TFunction } from 'i18next';

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const NUMBER = /^\d{1,2}$/;

/** A cron day-of-week field as days 0-6 (Sunday 0; 7 is Sunday too; names and ranges), or null when it is not that simple. */
function days(field: string): number[] | null {
  const day = (text: string): number | null => {
    const named = DAY_NAMES.indexOf(text.toUpperCase());
    if (named >= 0) return named;
    if (!NUMBER.test(text) || Number(text) > 7) return null;
    return Number(text) % 7;
  };
  const found = new Set<number>();
  for (const part of field.split(',')) {
    const [from, to, ...rest] = part.split('-');
    const start = day(from ?? '');
    const end = to === undefined ? start : day(to);
    if (rest.length || start === null || end === null || end < start) return null;
    for (let d = start; d <= end; d++) found.add(d);
  }
  return [...found].sort((a, b) => a - b);
}

/** Whole numbers within a range in a comma list ("2,14"), or null. */
function numbers(field: string, max: number): number[] | null {
  const parts = field.split(',');
  if (!parts.every((p) => NUMBER.test(p) && Number(p) <= max)) return null;
  return parts.map(Number).sort((a, b) => a - b);
}

const clock = (hour: number, minute: number) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;

/**
 * A cron schedule in words for staff ("平日 02:00", "毎日 02:00、14:00", "15分ごと"); an expression too unusual
 * to say simply is shown as it is. Day names and separators come from `cli.schedule.*` in the language of `t`.
 */
export function scheduleInWords(t: TFunction, expression: string): string {
  const fields = expression.trim().split(/\s+/);
  const custom = t('cli.schedule.custom', { expression });
  if (fields.length !== 5) return custom;
  const [minute = '', hour = '', dayOfMonth, month, dayOfWeek = ''] = fields;
  if (dayOfMonth !== '*' || month !== '*') return custom;

  const every = /^\*\/(\d{1,2})$/;
  const minutesStep = minute.match(every);
  if (minutesStep && hour === '*' && dayOfWeek === '*') return t('cli.schedule.everyMinutes', { count: Number(minutesStep[1]) });
  const hoursStep = hour.match(every);
  if (minute === '0' && hoursStep && dayOfWeek === '*') return t('cli.schedule.everyHours', { count: Number(hoursStep[1]) });

  const minutes = numbers(minute, 59);
  const hours = numbers(hour, 23);
  const weekDays = dayOfWeek === '*' ? [0, 1, 2, 3, 4, 5, 6] : days(dayOfWeek);
  if (!minutes || !hours || !weekDays || minutes.length !== 1) return custom;
  const times = hours.map((h) => clock(h, minutes[0] ?? 0)).join(t('cli.schedule.listSeparator'));
  if (weekDays.length === 7) return t('cli.schedule.daily', { times });
  if (weekDays.join() === '1,2,3,4,5') return t('cli.schedule.weekdays', { times });
  const names = weekDays.map((d) => t(`cli.schedule.day.${d}`)).join(t('cli.schedule.daySeparator'));
  return t('cli.schedule.weekly', { days: names, times });
}
