import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../tests/helpers/cli';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { generateKey } from '../store/key';

const tempDir = tempDirsPerTest();

describe('sync command', () => {
  it('syncs to the built-in simulator when no backend is configured and prints the documented JSON', async () => {
    const { writeFileSync } = await import('node:fs');
    const { sampleOrderRows, workbookBytes } = await import('../../scripts/fixtures/sample-sheets');
    const dataDir = tempDir();
    const file = join(tempDir(), 'sync.xlsx');
    writeFileSync(file, workbookBytes(sampleOrderRows({ orders: 12, withErrors: true, maxLines: 2 }), 'xlsx'));
    const env = { ORDER_STAGER_KEY: generateKey(), LANG: 'en_US.UTF-8' };
    expect((await cli(['--data-dir', dataDir, 'import', file], env)).code).toBe(0);
    const synced = await cli(['--data-dir', dataDir, 'sync', '--json'], env);
    const out = JSON.parse(synced.stdout);
    expect(out).toMatchObject({
      batch_id: 1,
      orders: { done: 11, failed: 0, needs_review: 0 },
      duration_s: expect.any(Number),
      requests: { orders: 11, payments: 11, notifications: 11 },
      retries: 0,
      rate_limited: 0,
    });
    expect(synced.code).toBe(0);
    expect(synced.stderr).toMatch(/demo mode/);
    expect(synced.stderr).toMatch(/11\/11/);
    const orders = JSON.parse((await cli(['--data-dir', dataDir, 'orders', '1', '--json'], env)).stdout) as {
      sync_state: string | null;
      status: string;
    }[];
    expect(orders.filter((o) => o.sync_state === 'done')).toHaveLength(11);
    expect(orders.filter((o) => o.status === 'invalid' && o.sync_state === null)).toHaveLength(1);
  });

  it('exits non-zero when an order fails', async () => {
    const { writeFileSync } = await import('node:fs');
    const { sampleOrderRows, workbookBytes } = await import('../../scripts/fixtures/sample-sheets');
    const { openStore } = await import('../store/database');
    const dataDir = tempDir();
    const key = generateKey();
    const file = join(tempDir(), 'fail.xlsx');
    writeFileSync(file, workbookBytes(sampleOrderRows({ orders: 3, maxLines: 1 }), 'xlsx'));
    expect((await cli(['--data-dir', dataDir, 'import', file], { ORDER_STAGER_KEY: key })).code).toBe(0);
    const store = openStore({ path: join(dataDir, 'order-stager.db'), key });
    store.db.prepare("UPDATE orders SET card_token = 'tok_declined' WHERE order_ref = 'PO-000002'").run();
    store.close();
    const synced = await cli(['--data-dir', dataDir, 'sync', '--json'], { ORDER_STAGER_KEY: key });
    expect(synced.code).toBe(1);
    expect(JSON.parse(synced.stdout).orders).toMatchObject({ done: 2, failed: 1 });
  });
});

describe('backend command', () => {
  it('stores URL and credentials in the encrypted store, uses them for sync, and never prints or audits the secret', async () => {
    const { startSimulator } = await import('../simulator/server');
    const { writeFileSync } = await import('node:fs');
    const { sampleOrderRows, workbookBytes } = await import('../../scripts/fixtures/sample-sheets');
    const sim = await startSimulator({ config: { clientId: 'acme-prod', clientSecret: 's3cret-value-42' } });
    try {
      const dataDir = tempDir();
      const env = { ORDER_STAGER_KEY: generateKey(), LANG: 'en_US.UTF-8' };
      const set = await cli(['--data-dir', dataDir, 'backend', 'set', '--url', sim.url, '--client-id', 'acme-prod'], {
        ...env,
        ORDER_STAGER_CLIENT_SECRET: 's3cret-value-42',
      });
      expect(set.code).toBe(0);
      expect(set.stdout + set.stderr).not.toContain('s3cret-value-42');
      const file = join(tempDir(), 'o.xlsx');
      writeFileSync(file, workbookBytes(sampleOrderRows({ orders: 3, maxLines: 1 }), 'xlsx'));
      await cli(['--data-dir', dataDir, 'import', file], env);
      const synced = await cli(['--data-dir', dataDir, 'sync', '--json'], env);
      expect(JSON.parse(synced.stdout).orders.done).toBe(3);
      expect(synced.stderr).not.toMatch(/demo mode/);
      expect(sim.stats().created.orders).toBe(3);
      const audit = await cli(['--data-dir', dataDir, 'audit', 'list', '--json'], env);
      expect(audit.stdout).not.toContain('s3cret-value-42');
      expect(JSON.parse(audit.stdout).find((e: { action: string }) => e.action === 'sync.started')).toMatchObject({
        backendIdentity: 'acme-prod',
      });
      const { readFileSync, readdirSync } = await import('node:fs');
      for (const f of readdirSync(dataDir)) expect(readFileSync(join(dataDir, f)).includes(Buffer.from('s3cret-value-42'))).toBe(false);
    } finally {
      await sim.close();
    }
  });
});
