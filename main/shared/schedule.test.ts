import { describe, expect, it } from 'vitest';
import { cronToPicker, isValidSchedule, nextRuns, pickerToCron, type SchedulePicker } from './schedule';

describe('schedule picker to cron', () => {
  it('writes every day, weekdays and chosen days with one or more times', () => {
    expect(pickerToCron({ days: { kind: 'daily' }, times: ['02:00'] })).toBe('0 2 * * *');
    expect(pickerToCron({ days: { kind: 'weekdays' }, times: ['02:00'] })).toBe('0 2 * * 1-5');
    expect(pickerToCron({ days: { kind: 'days', days: [5, 1, 3] }, times: ['14:00', '09:00'] })).toBe('0 9,14 * * 1,3,5');
    // Different minutes: one expression per minute.
    expect(pickerToCron({ days: { kind: 'weekdays' }, times: ['17:00', '09:30', '12:00'] })).toBe('0 12,17 * * 1-5; 30 9 * * 1-5');
  });

  it('answers null when no day or no valid time is picked', () => {
    expect(pickerToCron({ days: { kind: 'days', days: [] }, times: ['02:00'] })).toBeNull();
    expect(pickerToCron({ days: { kind: 'daily' }, times: [] })).toBeNull();
    expect(pickerToCron({ days: { kind: 'daily' }, times: ['25:00', '2:00'] })).toBeNull();
  });
});

describe('cron to schedule picker', () => {
  it('reads what the picker writes, both ways', () => {
    const pickers: SchedulePicker[] = [
      { days: { kind: 'daily' }, times: ['02:00'] },
      { days: { kind: 'weekdays' }, times: ['02:00', '14:00'] },
      { days: { kind: 'days', days: [0, 6] }, times: ['09:30', '17:00'] },
    ];
    for (const picker of pickers) {
      const cron = pickerToCron(picker);
      expect(cron).not.toBeNull();
      expect(cronToPicker(cron as string)).toEqual(picker);
    }
  });

  it('reads hand-written equivalents: a list of the five weekdays, all seven days, 7 for Sunday', () => {
    expect(cronToPicker('0 2 * * 1,2,3,4,5')).toEqual({ days: { kind: 'weekdays' }, times: ['02:00'] });
    expect(cronToPicker('5 8 * * 0,1,2,3,4,5,6')).toEqual({ days: { kind: 'daily' }, times: ['08:05'] });
    expect(cronToPicker('0 6 * * 7')).toEqual({ days: { kind: 'days', days: [0] }, times: ['06:00'] });
  });

  it('leaves to the advanced field what the picker cannot express', () => {
    for (const cron of [
      '*/15 * * * *',
      '0 2 1 * *',
      '0 2 * 12 *',
      '0 */2 * * *',
      '0 2 * * MON-FRI',
      '0 2 * * *; 0 3 * * 1-5',
      '0 2 * *',
      '',
    ]) {
      expect(cronToPicker(cron), cron).toBeNull();
    }
  });
});

describe('next runs', () => {
  it('lists the next runs of every part in order, in local time', () => {
    // Monday 30 November 2026, 10:00 local time.
    const from = new Date(2026, 10, 30, 10, 0);
    const runs = nextRuns('0 2 * * 1-5', 3, from);
    expect(runs.map((d) => [d.getDate(), d.getHours(), d.getMinutes()])).toEqual([
      [1, 2, 0],
      [2, 2, 0],
      [3, 2, 0],
    ]);
    const mixed = nextRuns('0 17 * * *; 30 9 * * *', 3, from);
    expect(mixed.map((d) => [d.getDate(), d.getHours(), d.getMinutes()])).toEqual([
      [30, 17, 0],
      [1, 9, 30],
      [1, 17, 0],
    ]);
  });

  it('knows a valid schedule from an invalid one', () => {
    expect(isValidSchedule('0 2 * * 1-5; 30 9 * * *')).toBe(true);
    expect(isValidSchedule('0 2 * * 1-5; nonsense')).toBe(false);
    expect(isValidSchedule(' ; ')).toBe(false);
    expect(nextRuns('nonsense', 3)).toEqual([]);
  });
});
