import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { createI18n } from '../shared/i18n';
import { insertBatch } from '../store/batches';
import { openStore, type Store } from '../store/database';
import { generateKey } from '../store/key';
import { APPEND_ONLY_TRIGGERS, appendAudit, auditHead, entryHash, GENESIS_HASH, listAudit, verifyAudit } from './log';
import { auditableUrl } from './redact';

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

describe('audit verify: what the chain alone cannot see', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore({ path: join(tempDir(), 'store.db'), key: generateKey() });
    for (const name of ['a.csv', 'b.csv']) {
      const batchId = insertBatch(store.db, {
        sourceFileName: name,
        sourceSha256: 'f'.repeat(64),
        sheetName: null,
        encoding: 'utf-8',
        headerRow: 1,
        columnMapping: {},
        importedBy: 'sato',
        importedAt: new Date().toISOString(),
      });
      appendAudit(store.db, { actor: 'sato', action: 'batch.imported', batchId, details: { orders: 1 } });
    }
    const runId = Number(
      store.db.prepare("INSERT INTO sync_runs (started_at, started_by, batch_ids, outcome) VALUES ('t', 'sato', '[1]', 'finished')").run()
        .lastInsertRowid,
    );
    appendAudit(store.db, { actor: 'sato', action: 'sync.started', details: { run_id: runId, orders: 1 } });
    appendAudit(store.db, { actor: 'sato', action: 'settings.changed', details: { setting: 'locale', value: 'en' } });
    appendAudit(store.db, { actor: 'sato', action: 'sync.finished', details: { run_id: runId, done: 1 } });
  });
  afterEach(() => store.close());

  const TRIGGERS = Object.values(APPEND_ONLY_TRIGGERS).join(';\n');
  /** What someone holding the store key can do: lift the triggers, change the log, put the triggers back. */
  function tamper(sql: string, restoreTriggers = true) {
    store.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    store.db.exec(sql);
    if (restoreTriggers) store.db.exec(`${TRIGGERS};`);
  }
  const en = createI18n('en').t;
  const ja = createI18n('ja').t;
  const messages = (result: ReturnType<typeof verifyAudit>) => result.problems.map((p) => en(`errors.${p.code}`, p.params));

  it('passes an intact log and names its head', () => {
    const result = verifyAudit(store.db, { expectHeads: [auditHead(store.db).hash] });
    expect(result).toMatchObject({ ok: true, entries: 5, problems: [] });
    expect(result.headHash).toBe(auditHead(store.db).hash);
    expect(auditHead(store.db).seq).toBe(5);
  });

  it('detects an emptied log: batches and runs without their entries', () => {
    tamper('DELETE FROM audit_log');
    const result = verifyAudit(store.db);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toBeNull();
    expect(result.problems.map((p) => p.code)).toEqual(['AUDIT_BATCH_UNLOGGED', 'AUDIT_RUN_UNLOGGED']);
    expect(messages(result)[0]).toBe(
      'The import of batch 1, 2 (2 in all) is missing from the audit log: the log may have been emptied or its end cut off.',
    );
    expect(ja(`errors.${result.problems[1]?.code}`, result.problems[1]?.params ?? {})).toBe(
      '連携処理1（1件）の開始または終了が監査ログにありません。監査ログが空にされたか、末尾が削除された可能性があります。',
    );
  });

  it('detects dropped or replaced append-only triggers', () => {
    tamper('SELECT 1', false);
    expect(messages(verifyAudit(store.db))).toEqual([
      'The triggers that keep the audit log append-only (audit_log_no_update, audit_log_no_delete) are missing: the log may have been rewritten.',
    ]);
    store.db.exec(`${APPEND_ONLY_TRIGGERS.audit_log_no_update};`);
    store.db.exec('CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT 1; END;');
    expect(verifyAudit(store.db).problems).toEqual([{ code: 'AUDIT_TRIGGERS_MISSING', params: { triggers: 'audit_log_no_delete' } }]);
  });

  it('leaves alone the run going now, which may not have written its first entry yet', () => {
    const running = Number(
      store.db.prepare("INSERT INTO sync_runs (started_at, started_by, batch_ids) VALUES ('t', 'sato', '[2]')").run().lastInsertRowid,
    );
    expect(verifyAudit(store.db).problems).toEqual([{ code: 'AUDIT_RUN_UNLOGGED', params: { runIds: String(running), count: 1 } }]);
    store.db.prepare("INSERT INTO sync_lock (id, run_id, pid, host, heartbeat) VALUES (1, ?, 1, 'h', 0)").run(running);
    expect(verifyAudit(store.db).ok).toBe(true);
  });

  it('detects a cut-off tail: the end of a sync run is missing', () => {
    tamper('DELETE FROM audit_log WHERE seq >= 5');
    const result = verifyAudit(store.db);
    expect(result.problems).toEqual([{ code: 'AUDIT_RUN_UNLOGGED', params: { runIds: '1', count: 1 } }]);
    expect(result.firstBroken).toBeNull();
  });

  it('needs the head kept elsewhere for a cut that removes no batch or run entry, and for a re-hashed log', () => {
    const kept = auditHead(store.db).hash;
    appendAudit(store.db, { actor: 'sato', action: 'settings.changed', details: { setting: 'locale', value: 'ja' } });
    const keptAfter = auditHead(store.db).hash;
    tamper('DELETE FROM audit_log WHERE seq = 6');
    expect(verifyAudit(store.db).ok).toBe(true);
    const result = verifyAudit(store.db, { expectHeads: [kept, keptAfter] });
    expect(result.problems).toEqual([{ code: 'AUDIT_HEAD_UNKNOWN', params: { hash: keptAfter.slice(0, 16) } }]);
    expect(messages(result)[0]).toContain(keptAfter.slice(0, 16));

    // Whoever has the store key can rewrite an entry and re-hash the chain after it: the chain holds (a key
    // derived from the store key would not stop them either); only the head kept elsewhere shows it.
    const rows = listAudit(store.db);
    tamper('DELETE FROM audit_log');
    let previous = GENESIS_HASH;
    for (const row of rows) {
      const content = { ...row, details: row.seq === 4 ? '{"setting":"locale","value":"fr"}' : row.details, prevHash: previous };
      const { hash: _old, ...unhashed } = content;
      const hash = entryHash(unhashed);
      store.db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
      store.db
        .prepare(
          'INSERT INTO audit_log (seq, at, actor, backend_identity, action, batch_id, order_ref, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(row.seq, row.at, row.actor, row.backendIdentity, row.action, row.batchId, row.orderRef, content.details, previous, hash);
      previous = hash;
    }
    store.db.exec(`${TRIGGERS};`);
    expect(verifyAudit(store.db).ok).toBe(true);
    expect(verifyAudit(store.db, { expectHeads: [kept] }).problems.map((p) => p.code)).toEqual(['AUDIT_HEAD_UNKNOWN']);
  });
});

describe('audit details', () => {
  it('keep backend URLs without credentials, query or fragment', () => {
    const store = openStore({ path: join(tempDir(), 'store.db'), key: generateKey() });
    const entry = appendAudit(store.db, {
      actor: 'sato',
      action: 'settings.changed',
      details: {
        setting: 'backend',
        url: 'https://user:pa55word@api.example.jp:8443/v1?api_key=k3y#frag',
        value: 'remote http://u:p@10.0.0.1/x?t=1',
      },
    });
    expect(JSON.parse(entry.details)).toEqual({
      setting: 'backend',
      url: 'https://api.example.jp:8443/v1',
      value: 'remote http://10.0.0.1/x',
    });
    expect(auditableUrl('https://api.example.jp/?token=abc')).toBe('https://api.example.jp');
    expect(auditableUrl('https://user:pw@host:99999/')).toBe('https://(redacted)');
    store.close();
  });
});
