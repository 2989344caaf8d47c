import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors';
import { type ImportProgress, ImportSteps, ProgressThrottle } from './progress';

describe('import progress', () => {
  it('sends the first and last report and at most one per interval between, never going back', () => {
    let now = 0;
    const sent: ImportProgress[] = [];
    const throttle = new ProgressThrottle(
      (p) => sent.push(p),
      200,
      () => now,
    );
    throttle.reading();
    throttle.staging(0, 1000);
    for (let read = 10; read <= 1000; read += 10) {
      now += 20;
      throttle.staging(read, 1000);
    }
    const percents = sent.map((p) => p.percent);
    expect(percents[0]).toBe(0);
    expect(sent.at(-1)).toEqual({ phase: 'staging', linesRead: 1000, linesTotal: 1000, percent: 100 });
    // 2 s of reports every 20 ms: about one in ten goes out.
    expect(sent.length).toBeLessThanOrEqual(13);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
  });

  it('counts lines order by order and stops with IMPORT_CANCELLED once cancelled', () => {
    let cancelled = false;
    const seen: number[] = [];
    const steps = new ImportSteps({ progress: (read) => seen.push(read), cancelled: () => cancelled }, 6);
    steps.done(2);
    steps.done(1);
    cancelled = true;
    expect(() => steps.done(3)).toThrow(AppError);
    expect(seen).toEqual([0, 2, 3]);
    // Without hooks (the command line) it only counts.
    const plain = new ImportSteps(undefined, 3);
    plain.done(3);
    expect(plain.linesRead).toBe(3);
  });
});
