import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { engineFor, stagedStore } from '../../tests/helpers/sync';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { sampleOrderRows, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { importFile } from '../import/stage';
import { startSimulator } from '../simulator/server';
import { readSetting, writeSetting } from '../store/settings';
import { nextRunAfter, readyBatches, Scheduler, setBatchReady } from './scheduler';

const tempDir = tempDirsPerTest();
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup() {
  const sim = await startSimulator({ config: { services: { notifications: { rateLimitPerSecond: 50 } } } });
  const dir = tempDir();
  const { store, batchId: first, key } = stagedStore(dir, 4, 'R1');
  const second = importFile(store.db, {
    fileName: 'b.xlsx',
    bytes: workbookBytes(sampleOrderRows({ orders: 3, maxLines: 1, prefix: 'R2' }), 'xlsx'),
    actor: 't',
  }).batchId;
  const runs: number[][] = [];
  // A test may end while a run it started is still going: let it finish before the store and simulator close.
  const going: Promise<unknown>[] = [];
  cleanup.push(
    () => sim.close(),
    () => store.close(),
    () => Promise.allSettled(going),
  );
  const run = async (ids: number[]) => {
    runs.push(ids);
    const running = engineFor(store, sim).engine.run(ids);
    going.push(running);
    await running;
  };
  return { sim, store, dir, key, first, second, runs, run };
}

describe('scheduled sync', () => {
  it("runs a schedule of several expressions (the picker's times with different minutes) and stops all of them", async () => {
    const { store } = await setup();
    const outcomes: unknown[] = [];
    // Every second and every other second: two jobs; the next run of a schedule is its parts' earliest.
    const scheduler = new Scheduler({
      db: store.db,
      expression: '* * * * * *; */2 * * * * *',
      run: async () => undefined,
      isOnline: async () => true,
      onOutcome: (o) => outcomes.push(o),
    });
    cleanup.push(() => scheduler.stop());
    expect(nextRunAfter('0 17 * * *; 30 9 * * *', new Date(2026, 10, 30, 10, 0))).toBe(new Date(2026, 10, 30, 17, 0).toISOString());
    scheduler.start();
    await expect.poll(() => outcomes.length, { timeout: 5000 }).toBeGreaterThan(0);
    scheduler.stop();
    const seen = outcomes.length;
    await new Promise((resolve) => setTimeout(resolve, 2200));
    expect(outcomes.length).toBe(seen);
  });

  it('fires on its schedule and syncs only the batches marked ready', async () => {
    const { sim, store, first, second, runs, run } = await setup();
    setBatchReady(store.db, second, true, 'sato');
    expect(readyBatches(store.db)).toEqual([second]);
    const outcomes: unknown[] = [];
    const scheduler = new Scheduler({
      db: store.db,
      expression: '* * * * * *',
      run,
      isOnline: async () => true,
      onOutcome: (o) => outcomes.push(o),
    });
    cleanup.push(() => scheduler.stop());
    scheduler.start();
    await expect.poll(() => outcomes.length, { timeout: 5000 }).toBeGreaterThan(0);
    scheduler.stop();
    await expect.poll(() => sim.stats().created.notifications, { timeout: 5000 }).toBe(3);
    expect(runs[0]).toEqual([second]);
    expect(sim.stats().created.orders).toBe(3);
    expect(
      store.db.prepare('SELECT count(*) AS n FROM sync_state s JOIN orders o ON o.id = s.order_id WHERE o.batch_id = ?').get(first),
    ).toEqual({ n: 0 });
    expect(readyBatches(store.db)).toEqual([]);
  });

  it('catches a run missed while the app was closed up once, at start', async () => {
    const { store, second, runs, run } = await setup();
    setBatchReady(store.db, second, true, 'sato');
    let now = new Date('2026-11-25T09:00:00+09:00');
    writeSetting(store.db, 'syncScheduleLastRun', new Date('2026-11-23T09:00:00+09:00').toISOString());
    const daily = () => new Scheduler({ db: store.db, expression: '0 2 * * *', run, isOnline: async () => true, now: () => now });
    const atStart = daily();
    expect(atStart.missedRun()).toBe(true);
    atStart.start();
    await expect.poll(() => runs.length).toBe(1);
    atStart.stop();
    expect(readSetting(store.db, 'syncScheduleLastRun', null)).toBe(now.toISOString());
    // Restarted an hour later: nothing was missed since, so nothing runs.
    now = new Date('2026-11-25T10:00:00+09:00');
    const restarted = daily();
    expect(restarted.missedRun()).toBe(false);
    restarted.start();
    // A catch-up run would have been triggered by start() itself; the cron job's next time is hours away.
    expect(restarted.busy).toBe(false);
    restarted.stop();
    expect(runs).toHaveLength(1);
  });

  it('waits while offline and runs when the backend is reachable again', async () => {
    const { store, second, runs, run } = await setup();
    setBatchReady(store.db, second, true, 'sato');
    let online = false;
    const outcomes: { error?: string }[] = [];
    const scheduler = new Scheduler({
      db: store.db,
      expression: '0 2 * * *',
      run,
      isOnline: async () => online,
      offlineRetryMs: 100,
      onOutcome: (o) => outcomes.push(o),
    });
    cleanup.push(() => scheduler.stop());
    await scheduler.trigger();
    expect(runs).toEqual([]);
    expect(outcomes).toEqual([{ batches: [], error: 'OFFLINE' }]);
    online = true;
    await expect.poll(() => runs.length, { timeout: 3000 }).toBe(1);
    expect(runs[0]).toEqual([second]);
  });

  it('never runs two syncs at once, in one process or across the app and the command line', async () => {
    const { sim, store, dir, key, second, runs, run } = await setup();
    setBatchReady(store.db, second, true, 'sato');
    const refused: string[] = [];
    const scheduler = new Scheduler({
      db: store.db,
      expression: '0 2 * * *',
      run,
      isOnline: async () => true,
      onOutcome: (o) => {
        if (o.error) refused.push(o.error);
      },
    });
    // Two triggers in the app at once: one run.
    await Promise.all([scheduler.trigger(), scheduler.trigger()]);
    expect(runs).toHaveLength(1);

    // The app and a scheduled command-line run at the same moment: never both at once.
    const more = importFile(store.db, {
      fileName: 'c.xlsx',
      bytes: workbookBytes(sampleOrderRows({ orders: 30, maxLines: 1, prefix: 'R3' }), 'xlsx'),
      actor: 't',
    }).batchId;
    setBatchReady(store.db, more, true, 'sato');
    sim.setConfig({ services: { notifications: { rateLimitPerSecond: 10 } } });
    const cli = spawn(
      process.execPath,
      ['--import', 'tsx', 'main/cli/index.ts', '--data-dir', dir, 'sync', '--ready', '--backend', sim.url, '--json'],
      {
        cwd: join(__dirname, '..', '..'),
        env: { ...process.env, ORDER_STAGER_KEY: key },
        stdio: 'ignore',
      },
    );
    cleanup.push(() => cli.kill('SIGKILL'));
    const cliExit = new Promise<number | null>((resolve) => cli.once('exit', resolve));
    // Trigger once the command line holds the sync lock (not after a fixed head start: tsx starts slowly
    // on a loaded machine), so the two really meet.
    const lockHolder = store.db.prepare('SELECT pid FROM sync_lock WHERE id = 1');
    await expect
      .poll(() => (lockHolder.get() as { pid: number } | undefined)?.pid, {
        timeout: 30_000,
        interval: 25,
        message: 'the command line takes the sync lock',
      })
      .toBe(cli.pid);
    await scheduler.trigger();
    const code = await cliExit;
    expect(code).toBe(0);
    expect(refused).toEqual(['SYNC_ALREADY_RUNNING']);
    const rows = store.db.prepare('SELECT started_at, finished_at FROM sync_runs ORDER BY id').all() as {
      started_at: string;
      finished_at: string | null;
    }[];
    // The app's first run and the command line's run; the refused trigger recorded nothing.
    expect(rows).toHaveLength(2);
    for (let i = 1; i < rows.length; i += 1) expect((rows[i]?.started_at ?? '') >= (rows[i - 1]?.finished_at ?? '~')).toBe(true);
    expect(sim.stats().created.orders).toBe(33);
    expect(sim.stats().duplicates).toEqual({ orders_per_client_reference: 0, payments_per_order: 0, notifications_for_unpaid_orders: 0 });
  });
});
