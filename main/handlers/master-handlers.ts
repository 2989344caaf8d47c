import { basename } from 'node:path';
import type { AppContext } from '../app/context';
import { applySuggestion, clearMaster, importMaster, listMasters, readMasterSource, showMaster } from '../operations';
import { hasBlocking } from '../shared/validation';
import type { Handlers } from './dispatch';

/** The master screen's channels and the review's "apply suggestion". `notify` names batches whose orders changed. */
export function masterHandlers(
  ctx: AppContext,
  notify: (batchIds: number[]) => void,
): Pick<Handlers, 'listMasters' | 'importMaster' | 'showMaster' | 'clearMaster' | 'applySuggestion'> {
  const allBatches = () =>
    notify((ctx.store.db.prepare('SELECT id FROM batches ORDER BY id').pluck().all() as number[]).filter((id) => id > 0));
  return {
    listMasters: () => listMasters(ctx),
    importMaster: async ({ list }) => {
      const path = await ctx.dialogs.openSpreadsheet();
      if (!path) return { result: null };
      const result = importMaster(ctx, list, readMasterSource(path, basename(path)));
      if (result.revalidation.orders > 0) allBatches();
      return { result };
    },
    showMaster: (input) => showMaster(ctx, input),
    clearMaster: (input) => {
      const result = clearMaster(ctx, input);
      if (result.revalidation.orders > 0) allBatches();
      return result;
    },
    applySuggestion: (input) => {
      const result = applySuggestion(ctx, input);
      notify([input.batchId]);
      return { valid: !hasBlocking(result.issues), issues: result.issues.map(({ row, field, code }) => ({ row, field, code })) };
    },
  };
}
