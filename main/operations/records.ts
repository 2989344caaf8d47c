import { recordAccess } from '../audit/access';
import { appendAudit, auditHead, listAudit, pageAudit, verifyAudit } from '../audit/log';
import type { AppContext } from '../app/context';
import { writePrivateFile } from '../config/private-files';
import { recordExport, renderBatchExport, renderTable } from '../export/export';
import type { Input, Locale, Output } from '../shared/contract';
import { createI18n } from '../shared/i18n';

/**
 * Export: a batch's error file or success report, rendered first (a batch that does not exist fails before
 * anyone is asked where to save it), written private (0600) where `choosePath` says, and recorded in the
 * audit log. `choosePath` is the save dialog in the app and `--out` on the command line; null is cancelled.
 */
export async function exportBatch(
  ctx: AppContext,
  request: Input<'exportBatch'>,
  options: { locale: Locale; choosePath: (suggestedName: string) => Promise<string | null> | string | null },
): Promise<{ path: string; rows: number } | null> {
  const rendered = renderBatchExport(ctx.store.db, { ...request, t: createI18n(options.locale).t });
  const path = await options.choosePath(rendered.suggestedName);
  if (!path) return null;
  writePrivateFile(path, rendered.bytes);
  const { db } = ctx.store;
  db.transaction(() => {
    recordExport(db, { ...request, rows: rendered.rows, actor: ctx.actor });
    const { batchId, kind, format } = request;
    recordAccess(db, { actor: ctx.actor, batchId, what: 'export', orders: rendered.orders, lines: rendered.rows, kind, format });
  })();
  return { path, rows: rendered.rows };
}

/** Audit verify: the chain, its triggers, coverage, and head hashes kept outside the store. */
export function checkAudit(ctx: AppContext, expectHeads: readonly string[] = []) {
  return verifyAudit(ctx.store.db, { expectHeads: [...expectHeads] });
}

/** Audit head: the last entry's hash, to keep outside the store. */
export function auditLogHead(ctx: AppContext): { seq: number; hash: string } {
  return auditHead(ctx.store.db);
}

/** Audit list, as the command line reads it (every matching entry, with its hashes). */
export function auditEntries(ctx: AppContext, filter: { batchId?: number; since?: string; action?: string } = {}) {
  return listAudit(ctx.store.db, filter);
}

/** Audit list, a page at a time as the history screen reads it; hashes stay in main. */
export function auditPage(ctx: AppContext, filter: Input<'listAudit'>): Output<'listAudit'> {
  const page = pageAudit(ctx.store.db, filter);
  return { ...page, rows: page.rows.map(({ prevHash: _p, hash: _h, ...row }) => row) };
}

/** Audit export: the whole log as CSV (UTF-8 with BOM), recorded as `audit.exported`. */
export function exportAuditLog(ctx: AppContext, path: string): { entries: number } {
  const entries = listAudit(ctx.store.db);
  const table = {
    header: ['seq', 'at', 'actor', 'backend_identity', 'action', 'batch_id', 'order_ref', 'details', 'prev_hash', 'hash'],
    rows: entries.map((e) => [e.seq, e.at, e.actor, e.backendIdentity, e.action, e.batchId, e.orderRef, e.details, e.prevHash, e.hash]),
  };
  writePrivateFile(path, renderTable(table, 'csv'));
  appendAudit(ctx.store.db, { actor: ctx.actor, action: 'audit.exported', details: { entries: entries.length } });
  return { entries: entries.length };
}
