import type { Command } from 'commander';
import type { TFunction } from 'i18next';
import { exportBatch, reimportBatch } from '../operations';
import { parseOption } from '../operations/input';
import { channels, Locale } from '../shared/contract';
import type { Print, WithContext } from './context';
import { type FileOptions, parseFileOptions, readCliFile } from './import-options';

const exportInput = channels.exportBatch.input.shape;
export const BatchIdOption = channels.batchOverview.input.shape.batchId;

/** A batch id argument, checked with the contract's schema. */
export function parseBatchId(text: string): number {
  return parseOption(BatchIdOption, Number(text), 'batch-id');
}

/** export and reimport: the error file to fix (or the success report) and the corrected file back into its batch. */
export function registerExportCommands(program: Command, withContext: WithContext, print: Print, t: TFunction): void {
  program
    .command('export')
    .description("export a batch's failed and invalid orders (to fix and re-import) or its success report")
    .argument('<batch-id>')
    .option('--errors', 'failed and invalid orders: original columns + error code, message and source row (default)')
    .option('--success', 'synced orders with backend order id, payment id and transaction id')
    .option('--format <format>', 'csv or xlsx', 'csv')
    .option(
      '--encoding <enc>',
      'for csv: utf-8 (with BOM) or shift_jis (CP932; a character it cannot hold is refused, naming the rows)',
      'utf-8',
    )
    .option('--lang <lang>', 'language of messages and headers: ja or en', 'ja')
    .requiredOption('--out <file>', 'where to write it')
    .option('--json', 'print JSON')
    .action((batchId: string, options: { success?: boolean; format: string; encoding: string; lang: string; out: string }) =>
      withContext(async (ctx) => {
        const request = {
          format: parseOption(exportInput.format, options.format, '--format'),
          encoding: parseOption(exportInput.encoding, options.encoding, '--encoding'),
          batchId: parseBatchId(batchId),
          kind: options.success ? ('success' as const) : ('errors' as const),
        };
        const locale = parseOption(Locale, options.lang, '--lang');
        const saved = await exportBatch(ctx, request, { locale, choosePath: () => options.out });
        const rows = saved?.rows ?? 0;
        print({ batch_id: request.batchId, out: options.out, rows }, t('cli.exported', { out: options.out, rows }));
      }),
    );

  program
    .command('reimport')
    .description('import a corrected error file back into its batch: orders are matched by order number and revalidated, never duplicated')
    .argument('<batch-id>')
    .argument('<file>')
    .option('--encoding <enc>', 'text encoding: auto, utf-8, shift_jis, euc-jp, utf-16le or utf-16be', 'auto')
    .option('--header-row <n>', 'the row (as Excel numbers it) holding the headers, when it is not found automatically')
    .option('--json', 'print JSON')
    .action((batchId: string, file: string, options: FileOptions) =>
      withContext((ctx) => {
        const result = reimportBatch(ctx, { batchId: parseBatchId(batchId), ...readCliFile(file), ...parseFileOptions(options) });
        print(
          {
            batch_id: result.batchId,
            updated: result.updated,
            valid: result.valid,
            invalid: result.invalid,
            not_in_batch: result.notInBatch,
            locked: result.locked,
            zeros_restored: result.zerosRestored,
          },
          t('cli.reimported', {
            batchId: result.batchId,
            updated: result.updated,
            valid: result.valid,
            invalid: result.invalid,
            notInBatch: result.notInBatch.length,
            locked: result.locked.length,
          }),
        );
      }),
    );
}
