import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../handlers';
import { dispatch } from '../handlers/dispatch';
import { channels } from '../shared/contract';
import { openStore } from '../store/database';
import { generateKey } from '../store/key';
import { sampleOrderRows, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { createAppContext } from './context';
import { createLogger, dispatchLog, fileSink, formatLine, logSyncRuns, REDACTED } from './log';

const tempDir = tempDirsPerTest();

describe('logger', () => {
  it('writes codes, ids and counts, and redacts any other text a careless call passes', () => {
    expect(formatLine('sync.failed', { run: 3, code: 'SYNC_AUTH_FAILED', online: false })).toBe(
      'sync.failed run=3 code=SYNC_AUTH_FAILED online=false',
    );
    expect(formatLine('ipc.failed', { channel: 'batches:list', reason: 'crashed' })).toBe('ipc.failed channel=batches:list reason=crashed');
    for (const leak of [
      'order1@example.co.jp',
      '株式会社サンプル商事',
      'tok_1a2b',
      '東京都千代田区1-1',
      'yamada',
      '/home/sato/注文.xlsx',
      'a b',
    ])
      expect(formatLine('import.refused', { file: leak }), leak).toBe(`import.refused file=${REDACTED}`);
    expect(formatLine('tanaka@example.jp')).toBe(REDACTED);
    expect(formatLine('x.y', { 'e mail': 1, n: Number.NaN })).toBe(`x.y fact=1 n=${REDACTED}`);
  });

  it('after an import and a sync with the simulator, the log file holds no name, email, address or token of the sheet', async () => {
    const dir = tempDir();
    const logFile = join(tempDir(), 'logs', 'main.log');
    const log = createLogger(fileSink(logFile));
    const key = generateKey();
    const store = openStore({ path: join(dir, 'store.db'), key });
    try {
      const ctx = createAppContext({ version: '1.0.0', dataDir: dir, store, actor: 'sato', key });
      const stop = logSyncRuns(ctx.sync, log);
      const handlers = createHandlers(ctx, () => {});
      const call = async (method: keyof typeof channels, input?: unknown) => {
        const result = await dispatch(handlers, channels[method].channel, input, dispatchLog(log));
        if (!result.ok) return null;
        return result.value as Record<string, unknown>;
      };
      const sheet = join(tempDir(), 'orders.xlsx');
      writeFileSync(sheet, workbookBytes(sampleOrderRows({ orders: 12, withErrors: true, maxLines: 2 }), 'xlsx'));
      const file = await call('addDroppedFile', { path: sheet });
      const outcome = await call('runImport', { fileId: file?.fileId });
      expect(outcome?.batchId).toBe(1);
      // A refused call is logged too (with its code only).
      expect(await call('runImport', { fileId: 'no-such-file' })).toBeNull();
      const summary = await ctx.sync.runToEnd([1]);
      expect(summary.orders.done).toBeGreaterThan(0);
      stop();
      await ctx.sync.close();

      const text = readFileSync(logFile, 'utf8');
      expect(text).toMatch(/\[info\] sync\.started run=1\n/);
      expect(text).toMatch(/\[info\] sync\.finished run=1 outcome=finished batches=1 done=\d+ failed=0/);
      expect(text).toMatch(/\[warn\] ipc\.failed channel=import:run code=[A-Z_]+\n/);
      const personal = store.db
        .prepare('SELECT customer_id, customer_name, email, card_token, shipping_address, notes FROM orders')
        .all() as Record<string, string | null>[];
      const values = [...new Set(personal.flatMap((row) => Object.values(row)).filter((v): v is string => !!v && v.length > 3))];
      expect(values.length).toBeGreaterThan(20);
      for (const value of values) expect(text.includes(value), `log holds ${value}`).toBe(false);
      expect(text).not.toMatch(/@example/);
      expect(text).not.toMatch(/tok_/);
      expect(text.includes(sheet)).toBe(false);
    } finally {
      store.close();
    }
  });
});
