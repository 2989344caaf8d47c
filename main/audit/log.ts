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
