import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { openStore } from '../store/database';
import { generateKey } from '../store/key';
import { appendAudit, entryHash, GENESIS_HASH } from './log';

const tempDir = tempDirsPerTest();

describe('audit log', () => {
  it('chains each entry to the previous one by hash', () => {
    const store = openStore({ path: join(tempDir(), 'store.db'), key: generateKey() });
    const first = appendAudit(store.db, { actor: 'sato', action: 'batch.imported', batchId: 1, details: { orders: 12 } });
    const second = appendAudit(store.db, { actor: 'sato', action: 'sync.started', batchId: 1 });
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(second.prevHash).toBe(first.hash);
    const { hash, ...rest } = second;
    expect(entryHash(rest)).toBe(hash);
    expect(entryHash({ ...rest, actor: 'suzuki' })).not.toBe(hash);
    store.close();
  });

  it('is append-only in the store itself', () => {
    const store = openStore({ path: join(tempDir(), 'store.db'), key: generateKey() });
    appendAudit(store.db, { actor: 'sato', action: 'batch.imported' });
    expect(() => store.db.prepare("UPDATE audit_log SET actor = 'x'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(store.db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 1 });
    store.close();
  });
});
