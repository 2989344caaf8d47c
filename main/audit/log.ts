import { createHash } from 'node:crypto';
import type { ErrorInfo } from '../shared/errors';
import type { Db } from '../store/database';
import { redactDetails } from './redact';

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
    details: JSON.stringify(redactDetails(input.details ?? {})),
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
  /** Everything found wrong (the chain, triggers, missing entries, an unknown anchor), as translatable errors. */
  problems: ErrorInfo[];
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

type Broken = NonNullable<AuditVerification['firstBroken']>;

/** Walks the chain in order; also collects what the coverage checks need. */
function walkChain(db: Db) {
  let previous = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  let firstBroken: Broken | null = null;
  const hashes = new Set<string>();
  const importedBatches = new Set<number>();
  const startedRuns = new Set<number>();
  const endedRuns = new Set<number>();
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY rowid').iterate() as Iterable<AuditRow>) {
    const entry = toEntry(row);
    entries += 1;
    if (!firstBroken) {
      const { hash, ...content } = entry;
      if (entry.seq !== expectedSeq) firstBroken = { seq: entry.seq, reason: 'sequence_gap' };
      else if (entry.prevHash !== previous) firstBroken = { seq: entry.seq, reason: 'broken_link' };
      else if (entryHash(content) !== hash) firstBroken = { seq: entry.seq, reason: 'hash_mismatch' };
      else {
        previous = hash;
        expectedSeq += 1;
        hashes.add(hash);
      }
    }
    if (entry.action === 'batch.imported' && entry.batchId !== null) importedBatches.add(entry.batchId);
    const run = RUN_ACTIONS[entry.action];
    if (run) {
      const runId = (JSON.parse(entry.details) as { run_id?: unknown }).run_id;
      if (typeof runId === 'number') (run === 'started' ? startedRuns : endedRuns).add(runId);
    }
  }
  return { entries, firstBroken, headHash: previous, hashes, importedBatches, startedRuns, endedRuns };
}

const RUN_ACTIONS: Record<string, 'started' | 'ended'> = {
  'sync.started': 'started',
  'sync.finished': 'ended',
  'sync.cancelled': 'ended',
  'sync.failed': 'ended',
};

/**
 * The triggers that make the log append-only, as migration 001 created them. One dropped or replaced (an
 * attacker with the key can do that, then delete or rewrite entries) is reported.
 */
export const APPEND_ONLY_TRIGGERS: Record<string, string> = {
  audit_log_no_update:
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
  audit_log_no_delete:
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
};

const squash = (sql: string) => sql.replace(/\s+/g, ' ').trim();

function missingTriggers(db: Db): string[] {
  const rows = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").all() as {
    name: string;
    sql: string;
  }[];
  const present = new Map(rows.map((row) => [row.name, squash(row.sql)]));
  return Object.entries(APPEND_ONLY_TRIGGERS)
    .filter(([name, sql]) => present.get(name) !== squash(sql))
    .map(([name]) => name);
}

export interface VerifyOptions {
  /** Head hashes kept outside the store (audit head, sync --append-head): each must still be in the chain. */
  expectHeads?: readonly string[];
}

/**
 * Checks the log as a whole. The chain: each entry's hash matches its content, its prev_hash the previous
 * entry's hash, sequence numbers do not skip (an edited, deleted or re-ordered entry breaks it). The
 * append-only triggers are in place. Every batch has its import entry and every sync run an entry (its
 * end entry once it ended): an emptied log or a cut-off tail shows. Hashes kept elsewhere are
 * still in the chain: the only check that holds against someone who has the store key and re-hashes a
 * shortened log, so keep the head outside the store (audit head, sync --append-head).
 */
export function verifyAudit(db: Db, options: VerifyOptions = {}): AuditVerification {
  const walk = walkChain(db);
  const problems: ErrorInfo[] = [];
  if (walk.firstBroken) problems.push({ code: 'AUDIT_CHAIN_BROKEN', params: { seq: walk.firstBroken.seq } });
  const triggers = missingTriggers(db);
  if (triggers.length) problems.push({ code: 'AUDIT_TRIGGERS_MISSING', params: { triggers: triggers.join(', ') } });
  const batchIds = (db.prepare('SELECT id FROM batches ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  const unlogged = batchIds.filter((id) => !walk.importedBatches.has(id));
  if (unlogged.length) problems.push({ code: 'AUDIT_BATCH_UNLOGGED', params: { batchIds: listed(unlogged), count: unlogged.length } });
  // The run going now may sit between its row and its first entry; any other run has an entry, and one
  // that ended has its end entry.
  const runs = db.prepare('SELECT id, outcome FROM sync_runs WHERE id NOT IN (SELECT run_id FROM sync_lock) ORDER BY id').all() as {
    id: number;
    outcome: string | null;
  }[];
  const runsUnlogged = runs.filter((run) =>
    run.outcome === null ? !walk.startedRuns.has(run.id) && !walk.endedRuns.has(run.id) : !walk.endedRuns.has(run.id),
  );
  if (runsUnlogged.length)
    problems.push({ code: 'AUDIT_RUN_UNLOGGED', params: { runIds: listed(runsUnlogged.map((r) => r.id)), count: runsUnlogged.length } });
  for (const head of options.expectHeads ?? []) {
    if (!walk.hashes.has(head.trim().toLowerCase()))
      problems.push({ code: 'AUDIT_HEAD_UNKNOWN', params: { hash: head.trim().slice(0, 16) } });
  }
  return {
    ok: problems.length === 0,
    entries: walk.entries,
    firstBroken: walk.firstBroken,
    headHash: walk.headHash,
    problems,
  };
}

/** Up to ten ids for a message ("3, 4, 9, …"). */
function listed(ids: readonly number[]): string {
  return ids.length > 10 ? `${ids.slice(0, 10).join(', ')}, …` : ids.join(', ');
}

/** The hash of the last entry (what to keep elsewhere) and its sequence number. */
export function auditHead(db: Db): { seq: number; hash: string } {
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  return last ?? { seq: 0, hash: GENESIS_HASH };
}

export function listAudit(db: Db, filter: { batchId?: number; since?: string; action?: string } = {}): AuditEntry[] {
  const rows = db
    .prepare(
      'SELECT * FROM audit_log WHERE (? IS NULL OR batch_id = ?) AND (? IS NULL OR at >= ?) AND (? IS NULL OR action = ?) ORDER BY seq',
    )
    .all(
      filter.batchId ?? null,
      filter.batchId ?? null,
      filter.since ?? null,
      filter.since ?? null,
      filter.action ?? null,
      filter.action ?? null,
    ) as AuditRow[];
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
  // Views of personal data are offered as a filter even before the first one is recorded.
  if (!actions.includes('access')) actions.unshift('access');
  return { total, rows: rows.map(toEntry), actions };
}
