import { Cron } from 'croner';

/**
 * The sync schedule as staff pick it (every day / weekdays / chosen days of the week, at one or more times)
 * and its stored form, cron. Times that share their minute go into one expression (`0 2,14 * * 1-5`); times
 * with different minutes become one expression per minute, separated by `;` (`30 9 * * *; 0 17 * * *`).
 * Anything else staff typed under "advanced" stays cron: `cronToPicker` answers null and the screen opens
 * the advanced field. Used by main (validation, scheduler) and by the settings screen (picker, next runs).
 */

export type ScheduleDays = { kind: 'daily' } | { kind: 'weekdays' } | { kind: 'days'; days: number[] };

export interface SchedulePicker {
  days: ScheduleDays;
  /** 'HH:MM', 24-hour. */
  times: string[];
}

const WEEKDAYS = [1, 2, 3, 4, 5];
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The parts of a stored schedule (one cron expression each). */
export function scheduleParts(expression: string): string[] {
  return expression
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean);
}

export function isPickerTime(text: string): boolean {
  return TIME.test(text);
}

function dayField(days: ScheduleDays): string {
  if (days.kind === 'daily') return '*';
  if (days.kind === 'weekdays') return '1-5';
  return [...new Set(days.days)].sort((a, b) => a - b).join(',');
}

/** The cron form of a picked schedule; null when nothing is picked (no day or no valid time). */
export function pickerToCron(picker: SchedulePicker): string | null {
  if (picker.days.kind === 'days' && picker.days.days.length === 0) return null;
  const times = [...new Set(picker.times.filter(isPickerTime))].sort();
  if (times.length === 0) return null;
  const byMinute = new Map<number, number[]>();
  for (const time of times) {
    const [hour, minute] = time.split(':').map(Number) as [number, number];
    byMinute.set(minute, [...(byMinute.get(minute) ?? []), hour]);
  }
  const dow = dayField(picker.days);
  return [...byMinute.entries()]
    .sort(([a], [b]) => a - b)
    .map(([minute, hours]) => `${minute} ${hours.join(',')} * * ${dow}`)
    .join('; ');
}

const INTEGER = /^\d{1,2}$/;

function parseDays(field: string): ScheduleDays | null {
  if (field === '*') return { kind: 'daily' };
  if (field === '1-5') return { kind: 'weekdays' };
  const items = field.split(',');
  if (!items.every((item) => INTEGER.test(item))) return null;
  // 7 is Sunday too in cron.
  const days = [...new Set(items.map((item) => Number(item) % 7))].sort((a, b) => a - b);
  if (items.some((item) => Number(item) > 7)) return null;
  if (days.length === 7) return { kind: 'daily' };
  if (days.join(',') === WEEKDAYS.join(',')) return { kind: 'weekdays' };
  return { kind: 'days', days };
}

/** The picker's form of a stored schedule; null when the picker cannot express it (opened as advanced cron). */
export function cronToPicker(expression: string): SchedulePicker | null {
  const parts = scheduleParts(expression);
  if (parts.length === 0) return null;
  let days: ScheduleDays | null = null;
  let dayKey: string | null = null;
  const times: string[] = [];
  for (const part of parts) {
    const fields = part.split(/\s+/);
    if (fields.length !== 5) return null;
    const [minute, hours, dom, month, dow] = fields as [string, string, string, string, string];
    if (dom !== '*' || month !== '*' || !INTEGER.test(minute) || Number(minute) > 59) return null;
    const hourList = hours.split(',');
    if (!hourList.every((h) => INTEGER.test(h) && Number(h) <= 23)) return null;
    const parsed = parseDays(dow);
    if (!parsed) return null;
    const key = dayField(parsed);
    if (dayKey !== null && key !== dayKey) return null;
    dayKey = key;
    days = parsed;
    for (const hour of hourList) times.push(`${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`);
  }
  if (!days) return null;
  return { days, times: [...new Set(times)].sort() };
}

/** Whether every part is a cron expression croner accepts. */
export function isValidSchedule(expression: string): boolean {
  const parts = scheduleParts(expression);
  if (parts.length === 0) return false;
  try {
    for (const part of parts) new Cron(part, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

/** The next `count` runs after `from` (local time of this machine), earliest first; [] for an invalid schedule. */
export function nextRuns(expression: string, count: number, from: Date = new Date()): Date[] {
  if (!isValidSchedule(expression)) return [];
  const all = scheduleParts(expression).flatMap((part) => new Cron(part, { paused: true }).nextRuns(count, from));
  const unique = [...new Map(all.map((date) => [date.getTime(), date])).values()];
  return unique.sort((a, b) => a.getTime() - b.getTime()).slice(0, count);
}
