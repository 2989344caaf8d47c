import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../tests/helpers/cli';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { sampleOrderRows, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { generateKey } from '../store/key';

const tempDir = tempDirsPerTest();

interface ListedOrder {
  order_ref: string;
  status: string;
  email: string | null;
  items: { quantity: number | null; row: number }[];
}

async function imported() {
  const dataDir = tempDir();
  const file = join(tempDir(), 'orders.xlsx');
  writeFileSync(file, workbookBytes(sampleOrderRows({ orders: 14, withErrors: true, maxLines: 3 }), 'xlsx'));
  const env = { ORDER_STAGER_KEY: generateKey() };
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => cli(['--data-dir', dataDir, ...args], { ...env, ...extra });
  expect((await run(['import', file])).code).toBe(0);
  const orders = async () => JSON.parse((await run(['orders', '1', '--json'])).stdout) as ListedOrder[];
  // Reading the orders records an access entry of its own: only the changes count here.
  const audit = async () =>
    (JSON.parse((await run(['audit', 'list', '--json'])).stdout) as { action: string; details: string }[]).filter(
      (entry) => entry.action !== 'access',
    );
  return { run, orders, audit };
}

describe('bulk-set command', () => {
  it('sets a field on the orders a filter selects: one transaction, one audit entry with counts and no values', async () => {
    const { run, orders, audit } = await imported();
    const before = await orders();
    const invalid = before.filter((o) => o.status === 'invalid').map((o) => o.order_ref);
    expect(invalid.length).toBeGreaterThan(0);

    const fixed = await run(['bulk-set', '1', '--field', 'email', '--value', 'fixed@example.jp', '--code', 'REQUIRED', '--json']);
    expect(fixed.code).toBe(0);
    const result = JSON.parse(fixed.stdout);
    expect(result).toMatchObject({ batch_id: 1, field: 'email', refused: [] });
    expect(result.orders).toBeGreaterThan(0);
    expect(result.applied).toBe(result.orders);
    const after = await orders();
    const changed = after.filter((o) => o.email === 'fixed@example.jp').map((o) => o.order_ref);
    expect(changed.length).toBe(result.orders);
    for (const ref of changed) expect(invalid).toContain(ref);
    // Everything else is as it was.
    for (const order of after.filter((o) => !changed.includes(o.order_ref)))
      expect(order.email).toBe(before.find((o) => o.order_ref === order.order_ref)?.email);

    const entries = await audit();
    expect(entries.map((e) => e.action)).toEqual(['batch.imported', 'orders.bulk_edited']);
    expect(JSON.parse(entries[1]?.details ?? '{}')).toEqual({
      kind: 'set',
      fields: 'email',
      applied: result.applied,
      changed: result.changed,
      orders: result.orders,
      valid: result.valid,
      refused: 0,
    });
    expect(entries[1]?.details).not.toContain('fixed@example.jp');

    // The same value again on those orders changes nothing and records nothing.
    const orderOptions = changed.flatMap((ref) => ['--order', ref]);
    const again = await run(['bulk-set', '1', '--field', 'email', '--value', 'fixed@example.jp', ...orderOptions]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^バッチ1でメールを変える明細はありません/);
    expect((await audit()).length).toBe(2);
  });

  it('sets a line field on every line of the orders named, reports an order it cannot find and exits 1', async () => {
    const { run, orders } = await imported();
    const multi = (await orders()).find((o) => o.items.length > 1 && o.status === 'valid');
    expect(multi).toBeDefined();
    const ref = multi?.order_ref ?? '';
    const result = await run(['bulk-set', '1', '--field', 'quantity', '--value', '7', '--order', ref, '--order', 'PO-999999'], {
      LANG: 'en_US.UTF-8',
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Batch 1: Quantity set in bulk \(lines selected: \d+, changed: \d+, orders: 1, of them valid: 1\)\n/);
    expect(result.stdout).toContain('Order PO-999999 was not changed [ORDER_NOT_FOUND] Order PO-999999 is not in batch 1.');
    const after = (await orders()).find((o) => o.order_ref === ref);
    expect(after?.items.map((i) => i.quantity)).toEqual(multi?.items.map(() => 7));
  });

  it('changes only what the selection holds, and refuses to run without one', async () => {
    const { run, orders, audit } = await imported();
    const valid = (await orders()).find((o) => o.status === 'valid')?.order_ref ?? '';
    const filtered = await run([
      'bulk-set',
      '1',
      '--field',
      'email',
      '--value',
      'x@example.jp',
      '--order',
      valid,
      '--status',
      'invalid',
      '--json',
    ]);
    expect(filtered.code).toBe(1);
    expect(JSON.parse(filtered.stdout).refused).toEqual([
      { orderRef: valid, row: null, code: 'ORDER_NOT_FOUND', message: expect.any(String) },
    ]);
    expect((await orders()).find((o) => o.order_ref === valid)?.email).not.toBe('x@example.jp');

    const unselected = await run(['bulk-set', '1', '--field', 'notes', '--value', '至急']);
    expect(unselected.code).toBe(1);
    expect(unselected.stderr).toMatch(/\[INVALID_INPUT\]/);
    expect((await run(['bulk-set', '1', '--field', 'password', '--value', 'x', '--all'])).stderr).toMatch(/\[INVALID_INPUT\]/);
    expect((await audit()).map((e) => e.action)).toEqual(['batch.imported']);

    const all = JSON.parse((await run(['bulk-set', '1', '--field', 'notes', '--value', '至急', '--all', '--json'])).stdout);
    expect(all.orders).toBe((await orders()).length);
  });
});
