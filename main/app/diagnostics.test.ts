import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importFile } from '../import/stage';
import { openStore } from '../store/database';
import { generateKey } from '../store/key';
import { writeSetting } from '../store/settings';
import { sampleOrderRows, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { createAppContext } from './context';
import { diagnosticFacts, diagnosticsFileName, diagnosticsZip } from './diagnostics';

const tempDir = tempDirsPerTest();

describe('diagnostics bundle', () => {
  it('zips versions, store facts and the logs, and no order data, key, path or backend address', () => {
    const dir = tempDir();
    const key = generateKey();
    const store = openStore({ path: join(dir, 'order-stager.db'), key });
    try {
      importFile(store.db, {
        fileName: 'orders.xlsx',
        bytes: workbookBytes(sampleOrderRows({ orders: 5, maxLines: 2 }), 'xlsx'),
        actor: 'sato',
      });
      writeSetting(store.db, 'backendUrl', 'https://orders.client-a.example/api');
      writeSetting(store.db, 'backendClientId', 'client-a-id');
      const ctx = createAppContext({ version: '1.2.3', dataDir: dir, store, actor: 'sato', key });
      const now = new Date('2026-11-30T09:00:00Z');
      const facts = diagnosticFacts(ctx, {
        runtime: { node: '24.1.0', electron: '45.5.0', chrome: '142.0.0.0', v8: '14.2' },
        os: { platform: 'win32', release: '10.0.26100', arch: 'x64' },
        packaged: true,
        now,
      });
      const logFile = join(tempDir(), 'main.log');
      writeFileSync(logFile, '[2026-11-30T08:59:00.000Z] [info] sync.finished run=1 done=5\n');
      const files = unzipSync(diagnosticsZip(facts, [{ path: logFile, bytes: new Uint8Array(Buffer.from('x')) }]));
      expect(Object.keys(files).sort()).toEqual(['facts.json', 'logs/main.log']);
      const parsed = JSON.parse(strFromU8(files['facts.json'] ?? new Uint8Array()));
      expect(parsed).toMatchObject({
        createdAt: '2026-11-30T09:00:00.000Z',
        app: { version: '1.2.3', locale: 'ja', packaged: true },
        runtime: { node: '24.1.0', electron: '45.5.0', chrome: '142.0.0.0' },
        os: { platform: 'win32', release: '10.0.26100', arch: 'x64' },
        store: { encrypted: true, cipher: 'sqlcipher', batches: 1, orders: 5 },
        backend: { mode: 'remote' },
        schedule: { on: false },
      });
      const everything =
        Object.values(files)
          .map((bytes) => Buffer.from(bytes).toString('latin1'))
          .join('\n') + strFromU8(files['facts.json'] ?? new Uint8Array());
      const orders = store.db.prepare('SELECT customer_name, email, card_token, shipping_address FROM orders').all() as Record<
        string,
        string
      >[];
      for (const value of [key, dir, 'orders.client-a.example', 'client-a-id', 'orders.xlsx', ...orders.flatMap((o) => Object.values(o))])
        expect(everything.includes(value), `zip holds ${value}`).toBe(false);
      expect(diagnosticsFileName(now)).toBe('order-stager-diagnostics-2026-11-30-09-00-00.zip');
    } finally {
      store.close();
    }
  });
});
