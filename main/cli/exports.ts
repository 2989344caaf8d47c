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
    .description(t('cli.help.export.description'))
    .argument('<batch-id>')
    .option('--errors', t('cli.help.export.errors'))
    .option('--success', t('cli.help.export.success'))
    .option('--format <format>', t('cli.help.export.format'), 'csv')
    .option('--encoding <enc>', t('cli.help.export.encoding'), 'utf-8')
    .requiredOption('--out <file>', t('cli.help.out'))
    .option('--json', t('cli.help.json'))
    .action((batchId: string, options: { success?: boolean; format: string; encoding: string; out: string }) =>
      withContext(async (ctx) => {
        const request = {
          format: parseOption(exportInput.format, options.format, '--format'),
          encoding: parseOption(exportInput.encoding, options.encoding, '--encoding'),
          batchId: parseBatchId(batchId),
          kind: options.success ? ('success' as const) : ('errors' as const),
        };
        // The file goes to the people who fix it: Japanese unless --lang (global, also the messages' language) says otherwise.
        const locale = parseOption(Locale, program.opts<{ lang?: string }>().lang ?? 'ja', '--lang');
        const saved = await exportBatch(ctx, request, { locale, choosePath: () => options.out });
        const rows = saved?.rows ?? 0;
        print({ batch_id: request.batchId, out: options.out, rows }, t('cli.exported', { out: options.out, rows }));
      }),
    );

  program
    .command('reimport')
    .description(t('cli.help.reimport'))
    .argument('<batch-id>')
    .argument('<file>')
    .option('--encoding <enc>', t('cli.help.encoding'), 'auto')
    .option('--header-row <n>', t('cli.help.headerRow'))
    .option('--json', t('cli.help.json'))
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
