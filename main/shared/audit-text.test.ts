import { describe, expect, it } from 'vitest';
import { auditActionLabel, auditDetails, auditSentence } from './audit-text';
import { createI18n } from './i18n';

const ja = createI18n('ja').t;
const en = createI18n('en').t;

const entry = (action: string, details: Record<string, unknown> = {}, extra: { batchId?: number; orderRef?: string } = {}) => ({
  action,
  actor: '山田',
  batchId: extra.batchId ?? null,
  orderRef: extra.orderRef ?? null,
  details: JSON.stringify(details),
});

/** Every action main writes today, with the details it writes (grep appendAudit and recordAccess in main/). */
const imported = entry(
  'batch.imported',
  { file_sha256: 'ab'.repeat(32), orders: 1200, valid: 1180, invalid: 20, template: null },
  { batchId: 1 },
);
const exported = entry('batch.exported', { kind: 'errors', format: 'xlsx', rows: 12 }, { batchId: 1 });
const edited = entry('order.edited', { field: 'email', row: 14, changed: true, valid: true }, { batchId: 1, orderRef: 'PO-000013' });
const WRITTEN = [
  imported,
  exported,
  entry('batch.marked_ready', {}, { batchId: 1 }),
  entry('batch.unmarked_ready', {}, { batchId: 1 }),
  entry(
    'batch.reimported',
    { updated: 3, valid: 2, invalid: 1, not_in_batch: 0, locked: 0, payment_fixed: 0, absorbed_lines: 0 },
    { batchId: 1 },
  ),
  entry('batch.validated', { total: 10, valid: 9, invalid: 1 }, { batchId: 1 }),
  entry('batch.import_cancelled', { lines_read: 5000, lines_total: 100000 }),
  entry('legal_hold.set', {}, { batchId: 2 }),
  entry('legal_hold.released', {}, { batchId: 2 }),
  entry('mapping.saved', { template: '得意先A' }, { batchId: 1 }),
  edited,
  entry('order.excluded', {}, { batchId: 1, orderRef: 'PO-000013' }),
  entry('order.included', {}, { batchId: 1, orderRef: 'PO-000013' }),
  entry(
    'orders.bulk_edited',
    { kind: 'fill', fields: 'notes,sku', applied: 6, changed: 5, orders: 3, valid: 3, refused: 0 },
    { batchId: 1 },
  ),
  entry('retention.purged', { days: 90, cutoff: '2026-09-01', orders: 1500, batches: 2, held: 0, in_sync: 0 }),
  entry('settings.changed', { setting: 'syncSchedule', value: '0 2 * * 1-5' }),
  entry('store.backed_up'),
  entry('store.rekeyed'),
  entry('store.restored'),
  entry('store.restore_requested'),
  entry('audit.exported', { entries: 2400 }),
  entry('master.imported', { list: 'products', file_sha256: 'cd'.repeat(32), rows: 300, unreadable_rows: 0, became_invalid: 4 }),
  entry('master.cleared', { list: 'prices', removed: 20, became_invalid: 0, became_valid: 3 }),
  entry('sync.started', { run_id: 2, batches: '1', orders: 107, yen_staged: 1234000 }),
  entry('sync.paused', { run_id: 2 }),
  entry('sync.resumed', { run_id: 2 }),
  entry('sync.cancelled', { run_id: 2, done: 78, failed: 0, needs_review: 0, remaining: 29, yen_synced: 548400 }),
  entry('sync.finished', { run_id: 2, done: 105, failed: 2, needs_review: 0, remaining: 0, yen_synced: 1200000 }),
  entry('sync.failed', { run_id: 2, code: 'SYNC_AUTH_FAILED' }),
  entry('access', { what: 'grid', orders: 120, lines: 240 }, { batchId: 1 }),
  entry('access', { what: 'detail', orders: 1 }, { batchId: 1, orderRef: 'PO-000013' }),
  entry('lock', { reason: 'idle' }),
  entry('unlock', { method: 'passphrase', wrong_tries: 0 }),
];

describe('audit entries as sentences', () => {
  it('reads each action in Japanese and English with no hash, raw key or snake_case word', () => {
    for (const e of WRITTEN) {
      for (const [lang, t] of [
        ['ja', ja],
        ['en', en],
      ] as const) {
        const sentence = auditSentence(t, e);
        expect(sentence, `${e.action} ${lang}`).not.toMatch(/[a-z]+_[a-z]+|sha256|[0-9a-f]{16}|\{\{|undefined|NaN/);
        expect(sentence, `${e.action} ${lang}`).not.toContain(e.action);
        expect(sentence, `${e.action} ${lang}`).toContain('山田');
        if (lang === 'ja') expect(sentence.replace(e.orderRef ?? '', ''), e.action).not.toMatch(/ [がをはにのでと]|\d{4,}/);
      }
    }
  });

  it('says what happened, with counts separated and the order and field named', () => {
    expect(auditSentence(ja, imported)).toBe('バッチ1を取り込みました（注文1,200件、有効1,180件、エラー20件）（山田）');
    expect(auditSentence(ja, edited)).toBe('PO-000013のメールを修正しました（山田）');
    expect(auditSentence(en, edited)).toBe('PO-000013: Email corrected (山田)');
    expect(auditSentence(ja, exported)).toBe('バッチ1のエラー一覧（Excel）を書き出しました（12行）（山田）');
  });

  it('reads an action it does not know as its label, or as another operation, never as the raw key', () => {
    expect(auditSentence(ja, entry('sync.rewound', { run_id: 1 }))).toBe('その他の操作（山田）');
    expect(auditSentence(en, entry('future_thing'))).toBe('Other operation (山田)');
    expect(auditActionLabel(ja, 'order.edited')).toBe('注文の修正');
    expect(auditActionLabel(ja, 'nothing.known')).toBe('その他の操作');
  });

  it('lists the details with words for the keys, separators in counts and hashes shortened', () => {
    const details = auditDetails(ja, imported, 'ja');
    expect(details).toContainEqual({ label: '注文数', value: '1,200' });
    const hash = details.find((d) => d.value.endsWith('…'));
    expect(hash?.label).toBe('ファイルのハッシュ（SHA-256）');
    expect(hash?.value).toHaveLength(13);
    expect(auditDetails(en, edited, 'en')).toContainEqual({ label: 'Field', value: 'Email' });
    expect(auditDetails(ja, edited, 'ja')).toContainEqual({ label: '変更あり', value: 'はい' });
    // A detail that is not valid JSON (never written, but the log is data) shows nothing rather than failing.
    expect(auditDetails(ja, { ...imported, details: 'not json' }, 'ja')).toEqual([]);
  });
});
