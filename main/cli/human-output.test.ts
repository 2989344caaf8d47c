import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { cli } from '../../tests/helpers/cli';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { sampleOrderRows, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { createI18n } from '../shared/i18n';
import { generateKey } from '../store/key';
import { wrapHelp } from './help';
import { dateTime, yen } from './human';
import { cliLocale } from './locale';
import { buildProgram } from './program';
import { scheduleInWords } from './schedule-words';
import { renderTable } from './table';

// Times are printed in this machine's zone: the expectations below are in Japan's, wherever the tests run.
process.env.TZ = 'Asia/Tokyo';

const tempDir = tempDirsPerTest();
const ja = createI18n('ja').t;
const en = createI18n('en').t;
const JAPANESE = /[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/;

/** The cells of a table line, cut at the display columns where the rule line's dashes start. */
function cells(line: string, rule: string): string[] {
  const starts = [...rule.matchAll(/-+/g)].map((m) => m.index ?? 0);
  const out: string[] = starts.map(() => '');
  let column = 0;
  for (const char of line) {
    const at = starts.filter((start) => start <= column).length - 1;
    out[Math.max(0, at)] += char;
    column += stringWidth(char);
  }
  return out.map((cell) => cell.trim());
}

function tableOf(text: string): { header: string[]; rows: string[][] } {
  const [header = '', rule = '', ...rows] = text.trimEnd().split('\n');
  return { header: cells(header, rule), rows: rows.map((row) => cells(row, rule)) };
}

async function importedStore(orders = 12) {
  const dataDir = tempDir();
  const file = join(tempDir(), '11月発注.xlsx');
  writeFileSync(file, workbookBytes(sampleOrderRows({ orders, withErrors: true, maxLines: 1 }), 'xlsx'));
  const env = { ORDER_STAGER_KEY: generateKey() };
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => cli(['--data-dir', dataDir, ...args], { ...env, ...extra });
  expect((await run(['import', file])).code).toBe(0);
  return run;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((sub) => [sub, ...allCommands(sub)]);
}

describe('the language the command line speaks', () => {
  it('is --lang, else ORDER_STAGER_LANG, else LC_ALL, LC_MESSAGES, LANG (empty ones skipped); Japanese by default', () => {
    expect(cliLocale([], {})).toBe('ja');
    expect(cliLocale([], { LANG: 'C.UTF-8' })).toBe('ja');
    expect(cliLocale([], { LANG: 'en_US.UTF-8' })).toBe('en');
    expect(cliLocale([], { LANG: 'en_US.UTF-8', LC_MESSAGES: 'ja_JP.UTF-8' })).toBe('ja');
    expect(cliLocale([], { LANG: 'ja_JP.UTF-8', LC_ALL: '', LC_MESSAGES: 'en_GB.UTF-8' })).toBe('en');
    expect(cliLocale([], { LANG: 'ja_JP.UTF-8', ORDER_STAGER_LANG: 'en' })).toBe('en');
    expect(cliLocale(['batches', '--lang', 'ja'], { ORDER_STAGER_LANG: 'en' })).toBe('ja');
    expect(cliLocale(['--lang=en', 'batches'], {})).toBe('en');
    expect(cliLocale(['edit', '1', 'PO-1', '--', '--lang', 'en'], {})).toBe('ja');
  });

  it('describes every command, argument and option in Japanese and in English', () => {
    const io = { stdout: () => undefined, stderr: () => undefined, env: {} };
    const described = (t: typeof ja) => {
      const { program } = buildProgram(t, io, false);
      return [program, ...allCommands(program)].flatMap((command) => [
        [command.name(), command.description()],
        ...command.options.map((option) => [`${command.name()} ${option.flags}`, option.description]),
        ...command.registeredArguments.filter((a) => a.description).map((a) => [`${command.name()} ${a.name()}`, a.description]),
      ]);
    };
    const japanese = described(ja);
    const english = described(en);
    expect(japanese.length).toBeGreaterThan(100);
    expect(japanese.map(([name]) => name)).toEqual(english.map(([name]) => name));
    for (const [i, [name, text]] of japanese.entries()) {
      expect(text, name).toMatch(JAPANESE);
      expect(english[i]?.[1], name).not.toMatch(JAPANESE);
      expect(english[i]?.[1], name).not.toBe('');
    }
  });

  it('prints help in Japanese by default and in English when asked, titles and built-in options too', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^使い方：order-stager \[options\] \[command\]/);
    expect(help.stdout).toContain('オプション：');
    expect(help.stdout).toContain('コマンド：');
    expect(help.stdout).toMatch(/-h, --help +ヘルプを表示します/);
    expect(help.stdout).toMatch(/batches \[options\] +取り込んだバッチを件数とともに表示します/);

    const exportHelp = await cli(['export', '--help']);
    expect(exportHelp.stdout).toMatch(/--format <format> +形式：csv または xlsx（既定："csv"）/);
    expect(exportHelp.stdout).not.toMatch(/default|Usage/);

    for (const env of [{ LANG: 'en_US.UTF-8' }, { ORDER_STAGER_LANG: 'en' }]) {
      const english = await cli(['sync', '--help'], env);
      expect(english.stdout).toMatch(/^Usage: order-stager sync \[options\]/);
      expect(english.stdout).not.toMatch(JAPANESE);
    }
    const chosen = await cli(['--lang', 'en', 'schedule', 'set', '--help']);
    expect(chosen.stdout).toContain('Arguments:');
    expect(chosen.stdout).toContain('a cron expression, or off');
    expect((await cli(['--help'], { LANG: 'en_US.UTF-8', ORDER_STAGER_LANG: 'ja' })).stdout).toMatch(/^使い方/);
  });

  it('refuses a language it does not speak like any other bad option', async () => {
    const result = await cli(['--lang', 'fr', 'batches'], { ORDER_STAGER_KEY: generateKey() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\[INVALID_INPUT\]/);
  });

  it("says commander's usage errors in the chosen language, with its suggestion", async () => {
    const typo = await cli(['batchs']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^エラー：「batchs」というコマンドはありません。\n（もしかして：batches）\n/);
    expect(typo.stderr).toContain('使い方：order-stager');
    expect((await cli(['orders'])).stderr).toMatch(/^エラー：引数「batch-id」を指定してください。/);
    expect((await cli(['export', '1'])).stderr).toMatch(/^エラー：オプション「--out <file>」を指定してください。/);
    expect((await cli(['batches', 'x', 'y'])).stderr).toMatch(/^エラー：引数が多すぎます：x, y\n/);
    expect((await cli(['batches', '--nope'])).stderr).toMatch(/^エラー：「--nope」というオプションはありません。/);
    expect((await cli(['export', '1', '--out'], { LANG: 'en_US.UTF-8' })).stderr).toMatch(
      /^error: option '--out <file>' argument missing\n/,
    );
    expect((await cli(['--lang', 'en', 'batchs'])).stderr).toMatch(/^error: unknown command 'batchs'\n\(Did you mean batches\?\)\n/);
  });

  it('wraps Japanese help at terminal columns, never before closing punctuation', () => {
    const text = ja('cli.help.sync.clientSecretStdin');
    const wrapped = wrapHelp(text, 40).split('\n');
    expect(wrapped.length).toBeGreaterThan(3);
    for (const line of wrapped) {
      expect(stringWidth(line)).toBeLessThanOrEqual(40);
      expect(line).not.toMatch(/^[、。）」]/);
    }
    expect(wrapped.join('')).toBe(text);
    expect(wrapHelp('print the summary as JSON (progress goes to stderr)', 40)).toBe(
      'print the summary as JSON (progress goes\nto stderr)',
    );
  });
});

describe('tables, amounts and times for people', () => {
  it('aligns columns by display width: a Japanese character takes two columns', () => {
    const table = renderTable(
      [{ header: 'ID', align: 'right' }, { header: 'ファイル' }, { header: '金額', align: 'right' }],
      [
        ['1', '11月発注.xlsx', '￥298,300'],
        ['12', 'orders\t.csv', '￥4,400'],
      ],
    );
    expect(table).toBe(
      [
        `ID  ファイル${' '.repeat(12)}金額`,
        '--  -------------  ---------',
        ' 1  11月発注.xlsx  ￥298,300',
        '12  orders .csv      ￥4,400',
      ].join('\n'),
    );
  });

  it('formats yen and times in the chosen language, in the local time zone with its name', () => {
    expect(yen(ja, 1234567)).toBe('￥1,234,567');
    expect(yen(en, 1234567)).toBe('¥1,234,567');
    expect(dateTime(ja, '2026-11-30T17:00:00.000Z')).toBe('2026/12/01(火) 02:00 JST');
    expect(dateTime(en, '2026-11-30T17:00:00.000Z')).toBe('Tue, Dec 1, 2026, 02:00 GMT+9');
  });

  it('says a schedule in words, and an unusual one as it is', () => {
    expect(scheduleInWords(ja, '0 2 * * *')).toBe('毎日02:00');
    expect(scheduleInWords(ja, '0 2 * * 1-5')).toBe('平日02:00');
    expect(scheduleInWords(en, '0 2 * * 1-5')).toBe('Weekdays at 02:00');
    expect(scheduleInWords(ja, '30 9 * * *; 0 17 * * *')).toBe('毎日09:30、17:00');
    expect(scheduleInWords(ja, '30 8,17 * * 1,3,5')).toBe('毎週月・水・金の08:30、17:30');
    expect(scheduleInWords(en, '30 8,17 * * 0,6')).toBe('Every Sun, Sat at 08:30, 17:30');
    expect(scheduleInWords(en, '0 2 * * MON-FRI')).toBe('cron expression “0 2 * * MON-FRI”');
    expect(scheduleInWords(ja, '*/15 * * * *')).toBe('15分ごと');
    expect(scheduleInWords(en, '0 */1 * * *')).toBe('Every hour');
    expect(scheduleInWords(ja, '0 2 1 * *')).toBe('cron式「0 2 1 * *」');
    expect(scheduleInWords(en, '0 2 * * 5-1')).toBe('cron expression “0 2 * * 5-1”');
  });
});

describe('batches, orders and audit list', () => {
  it('print aligned tables with translated headers and states, and --json exactly as before', async () => {
    const run = await importedStore();
    const table = tableOf((await run(['batches'])).stdout);
    expect(table.header).toEqual([
      'ID',
      'ファイル',
      '取込日時',
      '注文数',
      '有効',
      'エラー',
      '連携済み',
      '失敗',
      '要確認',
      '金額（有効分）',
      '状態',
    ]);
    expect(table.rows).toEqual([
      [
        '1',
        '11月発注.xlsx',
        expect.stringMatching(/^\d{4}\/\d\d\/\d\d \d\d:\d\d$/),
        '12',
        '11',
        '1',
        '0',
        '0',
        '0',
        expect.stringMatching(/^￥\d{1,3}(,\d{3})*$/),
        'エラーあり',
      ],
    ]);
    const english = tableOf((await run(['batches'], { LANG: 'en_US.UTF-8' })).stdout);
    expect(english.header).toEqual([
      'ID',
      'File',
      'Imported at',
      'Orders',
      'Valid',
      'Errors',
      'Synced',
      'Failed',
      'Check',
      'Amount (valid)',
      'Status',
    ]);
    expect(english.rows[0]?.slice(9)).toEqual([expect.stringMatching(/^¥\d{1,3}(,\d{3})*$/), 'Has errors']);

    const json = JSON.parse((await run(['batches', '--json'])).stdout);
    expect(json).toEqual([
      {
        id: 1,
        sourceFileName: '11月発注.xlsx',
        sheetName: expect.any(String),
        importedBy: expect.any(String),
        importedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        status: 'staged',
        orders: { total: 12, valid: 11, invalid: 1, synced: 0, failed: 0, needsReview: 0, paidUnnotified: 0, purged: 0 },
        totalAmountYen: expect.any(Number),
        syncedAmountYen: 0,
      },
    ]);
    expect(table.rows[0]?.[9]).toBe(yen(ja, json[0].totalAmountYen));

    expect((await run(['store', 'info'])).stdout).toContain('環境変数ORDER_STAGER_KEY\n');
    expect((await run(['store', 'info', '--json'])).stdout).toContain('"key_source": "env"');
    const edited = await run(['edit', '1', 'PO-000007', '--field', 'email', '--value', 'fixed@example.jp']);
    expect(edited.stdout).toMatch(/^注文 ?PO-000007 ?を更新しました[:：] ?有効\n$/);
    await run(['edit', '1', 'PO-000007', '--field', 'email', '--value', '']);
    const orders = tableOf((await run(['orders', '1'])).stdout);
    expect(orders.header).toEqual(['注文番号', '状態', '顧客ID', '明細数', '注文合計', 'エラー']);
    expect(orders.rows).toHaveLength(12);
    expect(orders.rows.find((row) => row[0] === 'PO-000007')).toEqual([
      'PO-000007',
      'エラー',
      expect.any(String),
      '1',
      expect.any(String),
      'REQUIRED',
    ]);
    const orderJson = JSON.parse((await run(['orders', '1', '--json'])).stdout);
    expect(Object.keys(orderJson[0]).sort()).toEqual([
      'customer_id',
      'customer_name',
      'email',
      'error_details',
      'errors',
      'items',
      'order_ref',
      'status',
      'sync_state',
      'total_amount',
    ]);

    const audit = tableOf((await run(['audit', 'list'], { LANG: 'en_US.UTF-8' })).stdout);
    expect(audit.header).toEqual(['#', 'When', 'Who', 'Action', 'Batch', 'Order', 'Details']);
    expect(audit.rows[0]?.slice(0, 5)).toEqual([
      '1',
      expect.stringMatching(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d\d:\d\d$/),
      expect.any(String),
      'Imported',
      '1',
    ]);
    expect((await run(['audit', 'list'])).stdout).toMatch(/取り込み/);
    const auditJson = JSON.parse((await run(['audit', 'list', '--json'])).stdout);
    expect(Object.keys(auditJson[0]).sort()).toEqual([
      'action',
      'actor',
      'at',
      'backendIdentity',
      'batchId',
      'details',
      'hash',
      'orderRef',
      'prevHash',
      'seq',
    ]);
  });
});

describe('schedule set and show', () => {
  it('say the schedule in words and its runs in local time; --json as before', async () => {
    const run = await importedStore(3);
    const set = await run(['schedule', 'set', '0 2 * * 1-5']);
    expect(set.stdout).toMatch(
      /^スケジュールを設定しました：平日02:00（cron: 0 2 \* \* 1-5）。次回：\d{4}\/\d\d\/\d\d\([月火水木金]\) 02:00 JST\n$/,
    );
    expect(set.stdout).not.toMatch(/T\d\d:\d\d:\d\d/);
    expect((await run(['ready', '1'])).code).toBe(0);

    const show = (await run(['schedule', 'show'])).stdout.split('\n');
    expect(show[0]).toBe('スケジュール：平日02:00（cron: 0 2 * * 1-5）');
    expect(show[1]).toBe('次回からの実行：');
    for (const line of show.slice(2, 5)) expect(line).toMatch(/^ {2}\d{4}\/\d\d\/\d\d\([月火水木金]\) 02:00 JST$/);
    expect(show.slice(5)).toEqual(['前回の実行：まだありません', '連携待ちのバッチ：1', '']);

    const english = (await run(['schedule', 'show'], { LANG: 'en_US.UTF-8' })).stdout;
    expect(english).toMatch(
      /^Schedule: Weekdays at 02:00 \(cron: 0 2 \* \* 1-5\)\nNext runs:\n {2}(Mon|Tue|Wed|Thu|Fri), [A-Z][a-z]{2} \d{1,2}, \d{4}, 02:00 GMT\+9\n/,
    );

    const json = JSON.parse((await run(['schedule', 'show', '--json'])).stdout);
    expect(json).toEqual({
      schedule: '0 2 * * 1-5',
      next_run: expect.stringMatching(/T17:00:00\.000Z$/),
      last_run: null,
      ready_batches: [1],
    });
    expect(new Date(json.next_run).getTime()).toBeGreaterThan(Date.now());

    expect((await run(['schedule', 'set', 'off'])).stdout).toBe('スケジュールを解除しました。\n');
    expect((await run(['schedule', 'show'], { LANG: 'en_US.UTF-8' })).stdout).toBe('No schedule is set.\n');
    expect(JSON.parse((await run(['schedule', 'show', '--json'])).stdout)).toEqual({
      schedule: null,
      next_run: null,
      last_run: null,
      ready_batches: [1],
    });
  });
});
