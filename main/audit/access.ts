import { createHash } from 'node:crypto';
import type { Db } from '../store/database';
import { appendAudit } from './log';

/** What showed personal data: the review grid, a search in it, one order's side panel, `orders` on the command line, an export. */
export type AccessKind = 'grid' | 'search' | 'detail' | 'cli' | 'export';

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

/** One `access` entry: who, when, which batch, what, how many orders. Never a name, an email, an address or a search text. */
export function recordAccess(db: Db, entry: AccessEntry): void {
  const details: Record<string, string | number> = { what: entry.what, orders: entry.orders };
  if (entry.lines !== undefined) details.lines = entry.lines;
  if (entry.kind !== undefined) details.kind = entry.kind;
  if (entry.format !== undefined) details.format = entry.format;
  appendAudit(db, { actor: entry.actor, action: 'access', batchId: entry.batchId, orderRef: entry.orderRef ?? null, details });
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
