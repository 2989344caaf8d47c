import { createHash } from 'node:crypto';
import type { Db } from '../store/database';
import { appendAudit } from './log';

/**
 * What showed personal data: the review grid, a search in it, one order's side panel, `orders` on the command
 * line, an export, the values find & replace and "set for the filter" read (`match`); a look at the customer
 * master (`master`, recordMasterAccess).
 */
export type AccessKind = 'grid' | 'search' | 'detail' | 'cli' | 'export' | 'match';

export interface AccessEntry {
  actor: string;
  batchId: number;
  what: AccessKind;
  /** How many orders were shown (or written to a file): counts only, never a value. */
  orders: number;
  /** Lines shown, when known. */
  lines?: number;
  /** The order whose details were shown (a detail view); the order number is the key the log already uses for edits. */
  orderRef?: string;
  /** Export only: what was written. */
  format?: string;
  kind?: string;
}

/** Entries that found the store's write lock taken, oldest first, with the time the data was shown. */
const waiting = new WeakMap<Db, { entry: AccessEntry; at: Date }[]>();
const RETRY_MS = 200;

/**
 * One `access` entry: who, when, which batch, what, how many orders. Never a name, an email, an address or a
 * search text. Looking must not wait for a writer: while another connection holds the write lock (an import
 * committing in its worker thread), the entry waits in memory, keeps the time of the look, and is written as
 * soon as the lock is free.
 */
export function recordAccess(db: Db, entry: AccessEntry, now = new Date()): void {
  const queue = waiting.get(db) ?? [];
  queue.push({ entry, at: now });
  waiting.set(db, queue);
  flushAccess(db);
}

/** Writes the waiting access entries now if the write lock is free; else tries again shortly. */
export function flushAccess(db: Db): void {
  const queue = waiting.get(db);
  if (!queue?.length || !db.open) return;
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  if (!db.inTransaction) db.pragma('busy_timeout = 0');
  try {
    for (let next = queue[0]; next; next = queue[0]) {
      writeAccess(db, next.entry, next.at);
      queue.shift();
    }
  } catch (error) {
    if (!String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) {
      queue.shift();
      throw error;
    }
    setTimeout(() => flushAccess(db), RETRY_MS).unref();
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
}

function writeAccess(db: Db, entry: AccessEntry, at: Date): void {
  const details: Record<string, string | number> = { what: entry.what, orders: entry.orders };
  if (entry.lines !== undefined) details.lines = entry.lines;
  if (entry.kind !== undefined) details.kind = entry.kind;
  if (entry.format !== undefined) details.format = entry.format;
  appendAudit(db, { actor: entry.actor, action: 'access', batchId: entry.batchId, orderRef: entry.orderRef ?? null, details }, at);
}

/** A look at a master list holding personal data (the customer master: names, emails, addresses): how many rows. */
export function recordMasterAccess(db: Db, entry: { actor: string; list: string; rows: number }): void {
  appendAudit(db, { actor: entry.actor, action: 'access', details: { what: 'master', list: entry.list, rows: entry.rows } });
}

interface Visit {
  /** A digest of the last search recorded in this visit (the text itself is personal data and is not kept). */
  search: string | null;
  details: Set<string>;
}

/** Visits remembered; the oldest is forgotten first (a long-running app sees many screen visits). */
const MAX_VISITS = 500;

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Coalesces access entries so scrolling does not flood the log: one grid entry per batch per screen visit (the
 * renderer names the visit), one per search text run, one per order whose details a visit showed. A call
 * without a visit id counts as a visit of its own.
 */
export class AccessCoalescer {
  private readonly visits = new Map<string, Visit>();
  /** Each batch's last find query, as a digest (the find text may be personal data). */
  private readonly matches = new Map<number, string>();

  /** True when this (batch, visit) was not seen yet: record a grid entry. */
  gridVisit(batchId: number, visit: string | undefined): boolean {
    if (visit === undefined) return true;
    const key = `${batchId}\u0000${visit}`;
    if (this.visits.has(key)) return false;
    this.remember(key);
    return true;
  }

  /** True when the visit's search text changed to a non-empty one: record a search entry. */
  search(batchId: number, visit: string | undefined, text: string): boolean {
    if (visit === undefined) return true;
    const entry = this.remember(`${batchId}\u0000${visit}`);
    const hash = digest(text);
    if (entry.search === hash) return false;
    entry.search = hash;
    return true;
  }

  /** True the first time a visit shows this order's details. */
  detail(batchId: number, visit: string | undefined, orderRef: string): boolean {
    if (visit === undefined) return true;
    const entry = this.remember(`${batchId}\u0000${visit}`);
    if (entry.details.has(orderRef)) return false;
    entry.details.add(orderRef);
    return true;
  }

  /**
   * True when this find query (field, find text, filter; as one string) is not the batch's last one: record a
   * match entry. Counting the same matches again as staff type a replacement records nothing more.
   */
  match(batchId: number, query: string): boolean {
    const hash = digest(query);
    if (this.matches.get(batchId) === hash) return false;
    this.matches.delete(batchId);
    this.matches.set(batchId, hash);
    if (this.matches.size > MAX_VISITS) {
      const oldest = this.matches.keys().next().value;
      if (oldest !== undefined) this.matches.delete(oldest);
    }
    return true;
  }

  /**
   * The visit's first page showed no order (a filter that matched nothing, an empty problem list): nothing
   * personal was shown, so no entry; the visit's first page that does show orders records it.
   */
  showedNothing(batchId: number, visit: string | undefined): void {
    if (visit === undefined) return;
    const key = `${batchId}\u0000${visit}`;
    const known = this.visits.get(key);
    if (known && known.search === null && known.details.size === 0) this.visits.delete(key);
  }

  private remember(key: string): Visit {
    const known = this.visits.get(key);
    if (known) return known;
    const visit: Visit = { search: null, details: new Set() };
    this.visits.set(key, visit);
    if (this.visits.size > MAX_VISITS) {
      const oldest = this.visits.keys().next().value;
      if (oldest !== undefined) this.visits.delete(oldest);
    }
    return visit;
  }
}
