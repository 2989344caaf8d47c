import { createHash } from 'node:crypto';
import type { Db } from '../store/database';

/** The hash the first entry chains to. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryInput {
  actor: string;
  backendIdentity?: string | null;
  action: string;
  batchId?: number | null;
  orderRef?: string | null;
  /** Counts, totals, codes and hashes only: never names, emails, addresses or tokens. */
  details?: Record<string, string | number | boolean | null>;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  backendIdentity: string | null;
  action: string;
  batchId: number | null;
  orderRef: string | null;
  details: string;
  prevHash: string;
  hash: string;
}

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const canonical = JSON.stringify([
    entry.seq,
    entry.at,
    entry.actor,
    entry.backendIdentity,
    entry.action,
    entry.batchId,
    entry.orderRef,
    entry.details,
    entry.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Appends one entry chained to the previous one's hash. Runs inside the caller's transaction if any. */
export function appendAudit(db: Db, input: AuditEntryInput, now = new Date()): AuditEntry {
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const base = {
    seq: (last?.seq ?? 0) + 1,
    at: now.toISOString(),
    actor: input.actor,
    backendIdentity: input.backendIdentity ?? null,
    action: input.action,
    batchId: input.batchId ?? null,
    orderRef: input.orderRef ?? null,
    details: JSON.stringify(input.details ?? {}),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const entry: AuditEntry = { ...base, hash: entryHash(base) };
  db.prepare(
    `INSERT INTO audit_log (seq, at, actor, backend_identity, action, batch_id, order_ref, details, prev_hash, hash)
     VALUES (@seq, @at, @actor, @backendIdentity, @action, @batchId, @orderRef, @details, @prevHash, @hash)`,
  ).run(entry);
  return entry;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** The first entry whose hash or link does not hold, and why. */
  firstBroken: { seq: number; reason: 'hash_mismatch' | 'broken_link' | 'sequence_gap' } | null;
  headHash: string;
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  backend_identity: string | null;
  action: string;
  batch_id: number | null;
  order_ref: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    backendIdentity: row.backend_identity,
    action: row.action,
    batchId: row.batch_id,
    orderRef: row.order_ref,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Walks the whole chain in order: each entry's hash must match its content, its prev_hash the previous
 * entry's hash, and sequence numbers must not skip. An edited, deleted or re-ordered entry breaks it.
 */
export function verifyAudit(db: Db): AuditVerification {
  let previous = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY rowid').iterate() as Iterable<AuditRow>) {
    const entry = toEntry(row);
    entries += 1;
    const { hash, ...content } = entry;
    const broken = (reason: 'hash_mismatch' | 'broken_link' | 'sequence_gap') => ({
      ok: false,
      entries,
      firstBroken: { seq: entry.seq, reason },
      headHash: previous,
    });
    if (entry.seq !== expectedSeq) return broken('sequence_gap');
    if (entry.prevHash !== previous) return broken('broken_link');
    if (entryHash(content) !== hash) return broken('hash_mismatch');
    previous = hash;
    expectedSeq += 1;
  }
  return { ok: true, entries, firstBroken: null, headHash: previous };
}

export function listAudit(db: Db, filter: { batchId?: number; since?: string } = {}): AuditEntry[] {
  const rows = db
    .prepare('SELECT * FROM audit_log WHERE (? IS NULL OR batch_id = ?) AND (? IS NULL OR at >= ?) ORDER BY seq')
    .all(filter.batchId ?? null, filter.batchId ?? null, filter.since ?? null, filter.since ?? null) as AuditRow[];
  return rows.map(toEntry);
}

/** One page of the log for the history screen, newest first, with the actions present (for the filter). */
export function pageAudit(
  db: Db,
  filter: { batchId?: number; action?: string; offset: number; limit: number },
): { total: number; rows: AuditEntry[]; actions: string[] } {
  const where = '(? IS NULL OR batch_id = ?) AND (? IS NULL OR action = ?)';
  const params = [filter.batchId ?? null, filter.batchId ?? null, filter.action ?? null, filter.action ?? null];
  const total = (db.prepare(`SELECT count(*) AS n FROM audit_log WHERE ${where}`).get(...params) as { n: number }).n;
  const rows = db
    .prepare(`SELECT * FROM audit_log WHERE ${where} ORDER BY seq DESC LIMIT ? OFFSET ?`)
    .all(...params, filter.limit, filter.offset) as AuditRow[];
  const actions = (db.prepare('SELECT DISTINCT action FROM audit_log ORDER BY action').all() as { action: string }[]).map((r) => r.action);
  return { total, rows: rows.map(toEntry), actions };
}
