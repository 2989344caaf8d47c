import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { sparseFile } from '../../tests/helpers/import';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { SAMPLE_HEADERS, sampleOrderRows, textBytes, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { KANA_MAP, kanaSheet } from '../../tests/helpers/sample-layouts';
import { generateKey } from '../store/key';
import { runCli } from './program';

const tempDir = tempDirsPerTest();

/** The CLI in this process against a fresh store; returns a runner for its commands. */
function cliOn(env: NodeJS.ProcessEnv = {}) {
  const dataDir = tempDir();
  const key = generateKey();
  return async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['--data-dir', dataDir, ...args], {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      env: { LANG: 'ja_JP.UTF-8', ORDER_STAGER_KEY: key, ...env },
    });
    return { code, stdout, stderr };
  };
}

function file(name: string, bytes: Uint8Array): string {
  const path = join(tempDir(), name);
  writeFileSync(path, bytes);
  return path;
}

const mapArgs = (map: Record<string, string>) => Object.entries(map).flatMap(([field, header]) => ['--map', `${field}=${header}`]);

describe('import command: files', () => {
  it('imports a kana-header sheet with --header-row and --map, and reimports it the same way', async () => {
    const cli = cliOn();
    const path = file('kana.xlsx', workbookBytes(kanaSheet('C'), 'xlsx'));
    const refused = await cli('import', path, ...mapArgs(KANA_MAP));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('IMPORT_NO_HEADER');
    const imported = await cli('import', path, '--header-row', '3', ...mapArgs(KANA_MAP), '--json');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ header_row: 3, sheet_hidden: false, orders: { total: 2, valid: 2 } });
    const reimported = await cli('reimport', '1', path, '--header-row', '3', '--json');
    expect(JSON.parse(reimported.stdout)).toMatchObject({ updated: 2, valid: 2 });
  });

  it.each(['0', '-1', 'abc', '2.5', '3x'])('refuses --header-row %s with INVALID_INPUT', async (value) => {
    const cli = cliOn();
    const result = await cli('import', file('kana.xlsx', workbookBytes(kanaSheet('C'), 'xlsx')), '--header-row', value);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('INVALID_INPUT');
  });

  it('prints the encoding and delimiter it used, in JSON and in the summary', async () => {
    const cli = cliOn();
    const rows = sampleOrderRows({ orders: 3, prefix: 'U' });
    const text = textBytes(rows, 'utf-8', '\t').toString('utf8');
    const path = file('unicode.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]));
    const json = await cli('import', path, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ encoding: 'utf-16le', delimiter: 'tab', orders: { total: 3, valid: 3 } });
    const euc = file(
      'euc.csv',
      iconv.encode(textBytes(sampleOrderRows({ orders: 2, prefix: 'E' }), 'utf-8', ';').toString('utf8'), 'EUC-JP'),
    );
    const summary = await cli('import', euc);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain('文字コード：EUC-JP、区切り文字：セミコロン（;）');
  });

  it('says so when the sheet imported is hidden', async () => {
    const cli = cliOn();
    const XLSX = await import('@e965/xlsx');
    const workbook = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(sampleOrderRows({ orders: 2, prefix: 'H' })), '先月');
    XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(sampleOrderRows({ orders: 1, prefix: 'V' })), '今月');
    workbook.Workbook = { Sheets: [{ Hidden: 1 }, { Hidden: 0 }] };
    const path = file('book.xlsx', XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    expect(JSON.parse((await cli('import', path, '--json')).stdout)).toMatchObject({ sheet: '今月', sheet_hidden: false });
    const named = await cli('import', path, '--sheet', '先月');
    expect(named.code).toBe(0);
    expect(named.stdout).toContain('非表示のシート「先月」から取り込みました。');
  });

  it('exits non-zero with IMPORT_NO_ORDERS for a header-only file, staging nothing', async () => {
    const cli = cliOn();
    const result = await cli('import', file('empty.csv', textBytes([SAMPLE_HEADERS], 'shift_jis')));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('IMPORT_NO_ORDERS');
    expect(result.stderr).toContain('「empty.csv」には見出し行の下に注文の行がありません。');
    expect(JSON.parse((await cli('batches', '--json')).stdout)).toEqual([]);
    const audit = JSON.parse((await cli('audit', 'list', '--json')).stdout) as { action: string }[];
    expect(audit.filter((entry) => entry.action === 'batch.imported')).toEqual([]);
  });

  it('refuses a 1.8 GB file from its size without reading it', async () => {
    const cli = cliOn({ LANG: 'en_US.UTF-8' });
    const path = sparseFile(join(tempDir(), 'huge.csv'), 1_800_000_000);
    const before = process.memoryUsage().rss;
    const result = await cli('import', path);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('IMPORT_TOO_LARGE');
    expect(result.stderr).toContain('huge.csv is too large (limit 50 MB).');
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
  });

  it('names fields by their labels in mapping errors', async () => {
    const cli = cliOn();
    const path = file('m.csv', textBytes(sampleOrderRows({ orders: 1, prefix: 'M' }), 'utf-8'));
    const wrong = await cli('import', path, '--map', 'unit_price=売価');
    expect(wrong.stderr).toContain('列の割り当て「単価=売価」が正しくありません。');
    const unmapped = await cli('import', path, '--map', '単価=');
    expect(unmapped.stderr).toContain('必須の項目に列が割り当てられていません（単価）。');
    expect(`${wrong.stderr}${unmapped.stderr}`).not.toContain('unit_price');
  });
});
