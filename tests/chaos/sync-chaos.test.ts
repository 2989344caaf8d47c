import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleOrderRows, workbookBytes } from '../../main/import/sample';
import { importFile } from '../../main/import/stage';
import { seededRandom } from '../../main/simulator/random';
import { type Simulator, startSimulator } from '../../main/simulator/server';
import { openStore } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { localStates, mismatches } from '../helpers/sync';
import { tempDirsPerTest } from '../helpers/tmp';

const tempDir = tempDirsPerTest();
const CYCLES = Number(process.env.CHAOS_CYCLES ?? 30);
const ROOT = join(__dirname, '..', '..');
let sim: Simulator | undefined;
afterAll(() => sim?.close());

function startSync(dataDir: string, key: string, url: string, configFile: string): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', 'main/cli/index.ts', '--data-dir', dataDir, 'sync', '--backend', url, '--config', configFile, '--json'],
    {
      cwd: ROOT,
      env: { ...process.env, ORDER_STAGER_KEY: key, LANG: 'en_US.UTF-8' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

describe('crash safety', () => {
  it(`survives ${CYCLES} SIGKILLs at random moments with lost responses and errors: no duplicates, nothing lost`, {
    timeout: 600_000,
  }, async () => {
    const faults = (extra: Record<string, unknown> = {}) => ({
      timeoutMs: 800,
      faults: { latency: { kind: 'uniform', minMs: 5, maxMs: 60 }, errorRate: 0.1, ...extra },
    });
    sim = await startSimulator({
      config: {
        seed: 20261125,
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
    const { batchId } = importFile(store.db, {
      fileName: 'chaos.xlsx',
      bytes: workbookBytes(sampleOrderRows({ orders: 400, maxLines: 2, prefix: 'CH' }), 'xlsx'),
      actor: 'chaos',
    });
    store.close();
    const configFile = join(tempDir(), 'sync.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        services: {
          orders: { ratePerSecond: null, concurrency: 8, timeoutMs: 800 },
          payments: { ratePerSecond: null, concurrency: 8, timeoutMs: 800 },
          notifications: { ratePerSecond: 20, concurrency: 4, timeoutMs: 800 },
        },
        backoffBaseMs: 20,
        backoffCapMs: 300,
        breaker: { threshold: 5, baseCooldownMs: 100, maxCooldownMs: 1000 },
        maxAttempts: 20,
      }),
    );

    const random = seededRandom(42);
    let killedMidRun = 0;
    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      const child = startSync(dataDir, key, sim.url, configFile);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
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

    const final = startSync(dataDir, key, sim.url, configFile);
    let stdout = '';
    final.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => final.once('exit', resolve));
    const summary = JSON.parse(stdout);

    const check = openStore({ path: join(dataDir, 'order-stager.db'), key });
    try {
      const states = localStates(check);
      const counts = states.reduce<Record<string, number>>((acc, row) => {
        acc[row.state] = (acc[row.state] ?? 0) + 1;
        return acc;
      }, {});
      console.log(
        `[chaos] ${CYCLES} cycles, ${killedMidRun} killed mid-run; final state ${JSON.stringify(counts)}; sim ${JSON.stringify(sim.stats().faults)} faults`,
      );
      expect(killedMidRun).toBeGreaterThanOrEqual(Math.floor(CYCLES * 0.9));
      expect(states).toHaveLength(400);
      expect(states.every((row) => row.state === 'done' || row.state === 'needs_review')).toBe(true);
      expect(summary.orders.remaining).toBe(0);
      expect(code).toBe(summary.orders.needs_review > 0 ? 1 : 0);
      expect(sim.stats().duplicates).toEqual({ orders_per_client_reference: 0, payments_per_order: 0, notifications_for_unpaid_orders: 0 });
      expect(mismatches(check, sim)).toEqual([]);
      expect(batchId).toBe(1);
    } finally {
      check.close();
    }
  });
});
