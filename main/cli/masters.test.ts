import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { cli } from '../../tests/helpers/cli';
import { SAMPLE_HEADERS, sampleLine, textBytes } from '../../scripts/fixtures/sample-sheets';
import { CUSTOMER_HEADERS } from '../../scripts/fixtures/sample-masters';
import { generateKey } from '../store/key';

const tempDir = tempDirsPerTest();

describe('master commands', () => {
  it('import, show and clear a list as JSON; an order import then reports the master checks', async () => {
    const dir = tempDir();
    const env = { ORDER_STAGER_KEY: generateKey() };
    const run = (...args: string[]) => cli(['--data-dir', dir, ...args], env);
    const products = join(dir, 'products.csv');
    writeFileSync(
      products,
      textBytes(
        [
          ['商品コード', 'JAN', '品名', '販売単価', '有効'],
          ['SKU-0012', '4901234567894', 'ボールペン', '1,500', '1'],
          ['SKU-0013', null, 'ノート', '800', '0'],
          ['SKU-0013', null, '重複', '800', '1'],
        ],
        'utf-8',
      ),
    );
    const imported = await run('master', 'import', 'products', products, '--json');
    expect(imported.code).toBe(0);
    const result = JSON.parse(imported.stdout);
    expect(result).toMatchObject({ list: 'products', rows: 2, added: 2, changed: 0, removed: 0 });
    expect(result.errors).toEqual([
      { row: 4, field: 'sku', code: 'DUPLICATE_KEY', value: 'SKU-0013', message: '4行目：「SKU-0013」は上の行と重複しています。' },
    ]);

    const table = (await run('master', 'show', 'products')).stdout.split('\n');
    expect(table[0]).toMatch(/^品番 +JANコード +名称 +単価 +有効 +有効開始日 +有効終了日$/);
    expect(table.slice(2)).toEqual([
      expect.stringMatching(/^SKU-0012 +4901234567894 +ボールペン +￥1,500 +はい$/),
      expect.stringMatching(/^SKU-0013 +ノート +￥800 +いいえ$/),
      '',
    ]);
    const shown = JSON.parse((await run('master', 'show', 'products', '--search', 'ボール', '--json')).stdout);
    expect(shown).toEqual([
      { sku: 'SKU-0012', jan: '4901234567894', name: 'ボールペン', unit_price: 1500, active: 1, valid_from: null, valid_to: null },
    ]);

    expect((await run('master', 'show', 'products', '--limit', '0')).stderr).toContain('INVALID_INPUT');
    expect(JSON.parse((await run('master', 'show', 'products', '--limit', '1', '--json')).stdout)).toHaveLength(1);
    const customers = join(dir, 'customers.csv');
    writeFileSync(customers, textBytes([CUSTOMER_HEADERS, ['C001', '株式会社テスト', null, null, '有効']], 'utf-8'));
    const mapped = await run('master', 'import', 'customers', customers, '--map', 'name=得意先名');
    expect(mapped.code).toBe(0);
    expect(mapped.stdout).toContain('得意先マスタ：1件を取り込みました（追加1件、変更0件、削除0件、読めない行0件）。');

    const sheet = join(dir, 'orders.csv');
    writeFileSync(sheet, textBytes([SAMPLE_HEADERS, sampleLine('O-1', { 品番: 'SKU12', 単価: 1500 })], 'utf-8'));
    const orders = await run('import', sheet, '--json');
    const errors = JSON.parse(orders.stdout).errors as { code: string; message: string }[];
    expect(errors.map((e) => e.code)).toEqual(['UNKNOWN_SKU']);
    expect(errors[0]?.message).toBe('品番「SKU12」は商品マスタにありません。候補：SKU-0012');

    const cleared = await run('master', 'clear', 'products', '--json');
    expect(JSON.parse(cleared.stdout)).toMatchObject({ list: 'products', removed: 2, revalidation: { becameValid: 1 } });
    const refused = await run('master', 'clear', 'orders');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('INVALID_INPUT');
  });

  it('tolerance: a price within it passes once set, orders staged before are revalidated, the change is audited', async () => {
    const dir = tempDir();
    const key = generateKey();
    const run = (...args: string[]) => cli(['--data-dir', dir, ...args], { ORDER_STAGER_KEY: key });
    const products = join(dir, 'products.csv');
    writeFileSync(
      products,
      textBytes(
        [
          ['品番', '商品名', '標準単価'],
          ['SKU-1', 'ペン', '1500'],
        ],
        'utf-8',
      ),
    );
    await run('master', 'import', 'products', products);
    const sheet = join(dir, 'orders.csv');
    writeFileSync(sheet, textBytes([SAMPLE_HEADERS, sampleLine('T-1', { 品番: 'SKU-1', 単価: 1550 })], 'utf-8'));
    expect(JSON.parse((await run('import', sheet, '--json')).stdout).orders).toMatchObject({ invalid: 1 });
    const set = await run('master', 'tolerance', '50', '--json');
    expect(JSON.parse(set.stdout)).toEqual({ tolerance: 50, revalidation: { batches: 1, orders: 1, becameInvalid: 0, becameValid: 1 } });
    expect((await run('master', 'tolerance', 'much')).stderr).toContain('INVALID_INPUT');
    const audit = JSON.parse((await run('audit', 'list', '--json')).stdout) as { action: string; details: string }[];
    expect(audit.filter((e) => e.action === 'settings.changed').map((e) => e.details)).toEqual([
      JSON.stringify({ setting: 'masterPriceTolerance', value: 50 }),
    ]);
  });
});
