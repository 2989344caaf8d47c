import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { SAMPLE_HEADERS, sampleLine, textBytes } from '../../scripts/fixtures/sample-sheets';
import { generateKey } from '../store/key';
import { runCli } from './program';

const tempDir = tempDirsPerTest();

function cliIn(dataDir: string, lang: string, key: string = generateKey()) {
  const env = { ORDER_STAGER_KEY: key, LANG: lang };
  return async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['--data-dir', dataDir, ...args], {
      stdout: (text: string) => {
        stdout += text;
      },
      stderr: (text: string) => {
        stderr += text;
      },
      env,
    });
    return { code, stdout, stderr };
  };
}

/** Orders with invalid emails (so they are in the error file), codes with leading zeros and one name CP932 cannot hold. */
function writeSheet(dir: string): string {
  const file = join(dir, 'orders.csv');
  const rows = [
    SAMPLE_HEADERS,
    sampleLine('000501', { 得意先コード: '00123', メール: 'broken', 品番: '-0456', 備考: '=SUM(A1)' }),
    sampleLine('000502', { 得意先コード: '00077', メール: 'broken', 得意先名: '𠮷田商店', 品番: '4901234567894' }),
  ];
  writeFileSync(file, textBytes(rows, 'utf-8'));
  return file;
}

describe('export --encoding shift_jis from the command line', () => {
  it('refuses a character Shift_JIS cannot hold with the translated error and its source row, writes nothing, exits 1', async () => {
    const dir = tempDir();
    const key = generateKey();
    const run = cliIn(dir, 'ja_JP.UTF-8', key);
    expect((await run('import', writeSheet(dir))).code).toBe(0);
    const out = join(dir, 'errors-sjis.csv');
    const refused = await run('export', '1', '--errors', '--format', 'csv', '--encoding', 'shift_jis', '--out', out);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('EXPORT_UNREPRESENTABLE');
    expect(refused.stderr).toContain('Shift_JISで表せない文字があるため、書き出しませんでした（元の行番号：3、計1行）');
    expect(refused.stderr).not.toContain('𠮷');
    expect(existsSync(out)).toBe(false);
    const audit = JSON.parse((await run('audit', 'list', '--json')).stdout) as { action: string }[];
    expect(audit.map((e) => e.action)).not.toContain('batch.exported');

    const english = await cliIn(dir, 'en_US.UTF-8', key)('export', '1', '--encoding', 'shift_jis', '--out', out, '--json');
    expect(english.code).toBe(1);
    expect(JSON.parse(english.stdout)).toEqual({
      error: {
        code: 'EXPORT_UNREPRESENTABLE',
        message:
          'Not exported: 1 row(s) hold characters that Shift_JIS cannot represent (source rows: 3). Change those characters, or export as UTF-8 with BOM.',
      },
    });
  });

  it('round-trips the error file through export and reimport in UTF-8 and xlsx with every code exact', async () => {
    const dir = tempDir();
    const run = cliIn(dir, 'ja_JP.UTF-8');
    expect((await run('import', writeSheet(dir))).code).toBe(0);
    const before = JSON.parse((await run('orders', '1', '--json')).stdout) as unknown;
    for (const [format, file] of [
      ['csv', 'errors.csv'],
      ['xlsx', 'errors.xlsx'],
    ] as const) {
      const out = join(dir, file);
      expect((await run('export', '1', '--format', format, '--out', out)).code).toBe(0);
      const reimported = await run('reimport', '1', out, '--json');
      expect(JSON.parse(reimported.stdout), file).toMatchObject({ updated: 2, not_in_batch: [], locked: [] });
      expect(JSON.parse((await run('orders', '1', '--json')).stdout), file).toEqual(before);
    }
    const orders = JSON.parse((await run('orders', '1', '--json')).stdout) as {
      order_ref: string;
      customer_id: string;
      items: { sku: string }[];
    }[];
    expect(orders.map((o) => [o.order_ref, o.customer_id, o.items[0]?.sku])).toEqual([
      ['000501', '00123', '-0456'],
      ['000502', '00077', '4901234567894'],
    ]);
  });
});
