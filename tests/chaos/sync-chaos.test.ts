import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleOrderRows, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { importFile } from '../../main/import/stage';
import { seededRandom } from '../../main/simulator/random';
import { type Simulator, startSimulator } from '../../main/simulator/server';
import { openStore } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { localStates, mismatches, spawnSync, syncConfigFile, syncEnded } from '../helpers/sync';
import { tempDirsPerTest } from '../helpers/tmp';

const tempDir = tempDirsPerTest();
const CYCLES = Number(process.env.CHAOS_CYCLES ?? 30);
const ORDERS = Number(process.env.CHAOS_ORDERS ?? 300);
let sim: Simulator | undefined;
afterEach(() => sim?.close());

describe('crash safety', () => {
  it.each([
    { honourIdempotencyKey: false, notifications: 'at least once' },
    { honourIdempotencyKey: true, notifications: 'exactly once' },
  ])(
    `survives ${CYCLES} SIGKILLs at random moments with lost responses and errors: no duplicates, nothing lost, nothing left in review, notifications $notifications`,
    {
      timeout: 600_000,
    },
    async ({ honourIdempotencyKey }) => {
      const faults = (extra: Record<string, unknown> = {}) => ({
        timeoutMs: 800,
        faults: { latency: { kind: 'uniform', minMs: 5, maxMs: 60 }, errorRate: 0.1, ...extra },
      });
      sim = await startSimulator({
        config: {
          seed: 20261125,
          honourIdempotencyKey,
          services: {
            orders: faults({ commitThenFailRate: 0.15 }),
            payments: faults({ commitThenFailRate: 0.15 }),
            notifications: { ...faults({ commitThenFailRate: 0.05 }), rateLimitPerSecond: 20 },
          },
        },
      });
      const dataDir = tempDir();
      const key = generateKey();
      const store = openStore({ path: join(dataDir, 'order-stager.db'), key });
      importFile(store.db, {
        fileName: 'chaos.xlsx',
        bytes: workbookBytes(sampleOrderRows({ orders: ORDERS, maxLines: 2, prefix: 'CH' }), 'xlsx'),
        actor: 'chaos',
      });
      store.close();
      const configFile = syncConfigFile(tempDir(), {
        timeoutMs: 800,
        concurrency: 8,
        notificationRate: 20,
        backoffBaseMs: 20,
        backoffCapMs: 300,
        breaker: { threshold: 5, baseCooldownMs: 100, maxCooldownMs: 1000 },
        maxAttempts: 20,
      });

      const random = seededRandom(42);
      let killedMidRun = 0;
      for (let cycle = 0; cycle < CYCLES; cycle += 1) {
        const child = spawnSync(dataDir, key, sim.url, configFile);
        const exited = once(child, 'exit');
        // Startup takes ~0.5-1 s; kill anywhere from before the first call to well into the run.
        const delay = 400 + random() * 1600;
        const finished = await Promise.race([
          exited.then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), delay)),
        ]);
        if (!finished) {
          child.kill('SIGKILL');
          killedMidRun += 1;
          await exited;
        }
      }

      const { code, summary } = await syncEnded(spawnSync(dataDir, key, sim.url, configFile));
      const check = openStore({ path: join(dataDir, 'order-stager.db'), key });
      try {
        const states = localStates(check);
        const counts = states.reduce<Record<string, number>>((acc, row) => {
          acc[row.state] = (acc[row.state] ?? 0) + 1;
          return acc;
        }, {});
        const stats = sim.stats();
        console.log(
          `[chaos] Idempotency-Key ${honourIdempotencyKey ? 'honoured' : 'ignored'}: ${CYCLES} cycles, ${killedMidRun} killed mid-run; final state ${JSON.stringify(counts)}; faults ${JSON.stringify(stats.faults)}; orders notified more than once: ${stats.notifications_repeated} of ${ORDERS}; replayed ${JSON.stringify(stats.replayed)}`,
        );
        expect(killedMidRun).toBeGreaterThanOrEqual(Math.floor(CYCLES * 0.9));
        expect(states).toHaveLength(ORDERS);
        // The backend has every look-up: nothing it could settle is left for staff.
        expect(counts).toEqual({ done: ORDERS });
        expect(summary?.orders).toEqual({ done: ORDERS, failed: 0, needs_review: 0, remaining: 0 });
        expect(code).toBe(0);
        expect(stats.duplicates).toEqual({ orders_per_client_reference: 0, payments_per_order: 0, notifications_for_unpaid_orders: 0 });
        if (honourIdempotencyKey) expect(stats.notifications_repeated).toBe(0);
        expect(mismatches(check, sim)).toEqual([]);
      } finally {
        check.close();
      }
    },
  );
});
