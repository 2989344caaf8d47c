import { setBatchReady } from '../schedule/scheduler';
import type { AppContext } from '../app/context';
import { editOrderField, setOrdersExcluded } from '../import/edit';
import { previewImport } from '../import/preview';
import { reimportIntoBatch } from '../import/reimport';
import { importFile } from '../import/stage';
import { batchOverview, queryLines } from '../review/lines';
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
  | 'markReady'
  | 'reimportBatch'
>;

/** The import wizard and the batch review grid. */
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
      return previewImport(db, { fileName, read, sheet, headerRow, template, overrides });
    },
    closeImportFile: ({ fileId }) => {
      ctx.files.forget(fileId);
      return { ok: true } as const;
    },
    runImport: ({ fileId, sheet, encoding, headerRow, template, overrides, saveTemplateAs }) => {
      const started = performance.now();
      const { fileName, bytes, read } = ctx.files.read(fileId, encoding);
      const result = importFile(db, { fileName, bytes, read, sheet, headerRow, template, overrides, saveTemplateAs, actor: ctx.actor });
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
    queryLines: (query) => queryLines(db, query),
    batchOverview: ({ batchId }) => batchOverview(db, batchId),
    editField: ({ batchId, orderRef, field, value, row }) => {
      const result = editOrderField(db, { batchId, orderRef, field, value, row, actor: ctx.actor });
      notify([batchId]);
      return { valid: result.issues.length === 0, issues: result.issues.map(({ row: r, field: f, code }) => ({ row: r, field: f, code })) };
    },
    setExcluded: ({ batchId, orderRefs, excluded }) => {
      const result = setOrdersExcluded(db, { batchId, orderRefs, excluded, actor: ctx.actor });
      notify([batchId]);
      return result;
    },
    reimportBatch: async ({ batchId }) => {
      const path = await ctx.dialogs.openSpreadsheet();
      if (!path) return { result: null };
      const file = ctx.files.add(path);
      try {
        const { fileName, bytes } = ctx.files.read(file.fileId);
        const result = reimportIntoBatch(db, { batchId, fileName, bytes, actor: ctx.actor });
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
    markReady: ({ batchId, ready }) => {
      setBatchReady(db, batchId, ready, ctx.actor);
      notify([batchId]);
      return { ok: true } as const;
    },
  };
}
