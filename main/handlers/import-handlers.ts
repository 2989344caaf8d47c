import type { AppContext } from '../app/context';
import {
  editOrder,
  editOrders,
  excludeOrders,
  importSpreadsheet,
  markReady,
  previewSpreadsheet,
  reimportBatch,
  viewLines,
} from '../operations';
import { batchOverview, matchField } from '../review/lines';
import { hasBlocking } from '../shared/validation';
import type { Handlers } from './dispatch';

type ImportHandlers = Pick<
  Handlers,
  | 'pickImportFile'
  | 'addDroppedFile'
  | 'previewImport'
  | 'closeImportFile'
  | 'runImport'
  | 'queryLines'
  | 'batchOverview'
  | 'editField'
  | 'setExcluded'
  | 'editMany'
  | 'matchField'
  | 'markReady'
  | 'reimportBatch'
>;

/** The import wizard and the batch review grid: adapters over main/operations (files come by id, through ctx.files). */
export function importHandlers(ctx: AppContext, notify: (batchIds: number[]) => void): ImportHandlers {
  const { db } = ctx.store;
  return {
    pickImportFile: async () => {
      const path = await ctx.dialogs.openSpreadsheet();
      return { file: path ? ctx.files.add(path) : null };
    },
    addDroppedFile: ({ path }) => ctx.files.add(path),
    previewImport: ({ fileId, sheet, encoding, headerRow, template, overrides }) => {
      const { fileName, read } = ctx.files.read(fileId, encoding);
      return previewSpreadsheet(ctx, { fileName, read }, { sheet, headerRow, template, overrides });
    },
    closeImportFile: ({ fileId }) => {
      ctx.files.forget(fileId);
      return { ok: true } as const;
    },
    runImport: ({ fileId, sheet, encoding, headerRow, template, overrides, saveTemplateAs }) => {
      const started = performance.now();
      const { fileName, bytes, read } = ctx.files.read(fileId, encoding);
      const result = importSpreadsheet(ctx, { fileName, bytes, read }, { sheet, headerRow, template, overrides, saveTemplateAs });
      ctx.files.forget(fileId);
      notify([result.batchId]);
      return {
        batchId: result.batchId,
        lines: result.lines,
        orders: result.orders,
        errors: result.errors.length,
        notes: result.notes,
        durationMs: Math.round(performance.now() - started),
        sheet: result.sheet,
        sheetHidden: result.sheetHidden,
        encoding: result.encoding,
        delimiter: result.delimiter,
      };
    },
    queryLines: (query) => viewLines(ctx, query),
    batchOverview: ({ batchId }) => batchOverview(db, batchId),
    editField: (input) => {
      const result = editOrder(ctx, input);
      notify([input.batchId]);
      return {
        valid: !hasBlocking(result.issues),
        issues: result.issues.map(({ row: r, field: f, code }) => ({ row: r, field: f, code })),
      };
    },
    editMany: (input) => {
      const result = editOrders(ctx, input);
      notify([input.batchId]);
      return result;
    },
    matchField: (input) => matchField(db, input),
    setExcluded: (input) => {
      const result = excludeOrders(ctx, input);
      notify([input.batchId]);
      return result;
    },
    reimportBatch: async ({ batchId }) => {
      const path = await ctx.dialogs.openSpreadsheet();
      if (!path) return { result: null };
      const file = ctx.files.add(path);
      try {
        const { fileName, bytes } = ctx.files.read(file.fileId);
        const result = reimportBatch(ctx, { batchId, fileName, bytes });
        notify([batchId]);
        return {
          result: {
            fileName,
            updated: result.updated,
            valid: result.valid,
            invalid: result.invalid,
            notInBatch: result.notInBatch.length,
            locked: result.locked.length,
          },
        };
      } finally {
        ctx.files.forget(file.fileId);
      }
    },
    markReady: (input) => {
      markReady(ctx, input);
      notify([input.batchId]);
      return { ok: true } as const;
    },
  };
}
