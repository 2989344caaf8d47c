import type { AppContext } from '../app/context';
import { recordMasterAccess } from '../audit/access';
import { readImportFile } from '../import/source';
import { type ApplySuggestionRequest, applySuggestion as applyMasterSuggestion } from '../masters/suggestions';
import { MASTER_LIMITS } from '../masters/read';
import {
  clearMasterList,
  importMasterList,
  type MasterImportResult,
  type RevalidationSummary,
  revalidateUnsynced,
} from '../masters/replace';
import { changeSettings } from './settings';
import type { Input } from '../shared/contract';
import type { OrderValidation } from '../import/validate';
import { type MasterList, type MasterListInfo, masterListInfo, searchMasterRows } from '../store/masters';
import { writeSetting } from '../store/settings';

/** A master list file: its name and bytes (read with the master lists' limits, larger than an order sheet's). */
export function readMasterSource(path: string, fileName: string): { fileName: string; bytes: Uint8Array } {
  return { fileName, bytes: readImportFile(path, fileName, MASTER_LIMITS) };
}

/** Import: a master list replaced by a file, staged orders revalidated, with its `master.imported` audit entry. */
export function importMaster(
  ctx: AppContext,
  list: MasterList,
  source: { fileName: string; bytes: Uint8Array },
  choices: { sheet?: string; overrides?: Record<string, string> } = {},
): MasterImportResult & { fileName: string } {
  return { ...importMasterList(ctx.store.db, { list, ...source, ...choices, actor: ctx.actor }), fileName: source.fileName };
}

/** The lists with their counts and last imports. */
export function listMasters(ctx: AppContext): MasterListInfo[] {
  return masterListInfo(ctx.store.db);
}

/** Rows of products or customers whose code or name holds the search text (at most `limit`). */
export function showMaster(ctx: AppContext, input: Input<'showMaster'>): { rows: Record<string, string | number | null>[] } {
  const rows = searchMasterRows(ctx.store.db, input.list, input.search ?? '', input.limit ?? 100);
  // The customer master holds names, emails and addresses: looking at it is recorded (counts only).
  if (input.list === 'customers') recordMasterAccess(ctx.store.db, { actor: ctx.actor, list: input.list, rows: rows.length });
  // The match key is the store's own look-up column, not the list's.
  return {
    rows: rows.map((row) => {
      const shown: Record<string, string | number | null> = { ...row };
      delete shown.match_key;
      return shown;
    }),
  };
}

/** Clear: a master list emptied (its checks stop), staged orders revalidated, with its audit entry. */
export function clearMaster(ctx: AppContext, input: Input<'clearMaster'>) {
  const { removed, revalidation } = clearMasterList(ctx.store.db, { list: input.list, actor: ctx.actor });
  return { removed, revalidation };
}

/** Fix in place: a suggested SKU or the master price applied to a line (one audited edit). */
export function applySuggestion(ctx: AppContext, input: Input<'applySuggestion'>): OrderValidation {
  const request: ApplySuggestionRequest = { ...input, actor: ctx.actor };
  return applyMasterSuggestion(ctx.store.db, request);
}

/** The price tolerance (yen, null = exact), with its `settings.changed` entry; staged orders revalidated under it. */
export function setPriceTolerance(ctx: AppContext, yen: number | null): RevalidationSummary {
  let summary: RevalidationSummary | null = null;
  changeSettings(ctx, 'masterPriceTolerance', yen, () => {
    writeSetting(ctx.store.db, 'masterPriceTolerance', yen);
    summary = revalidateUnsynced(ctx.store.db, new Date());
  });
  return summary ?? { batches: 0, orders: 0, becameInvalid: 0, becameValid: 0 };
}
