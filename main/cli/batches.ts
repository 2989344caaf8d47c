import type { Command } from 'commander';
import type { TFunction } from 'i18next';
import { batchState } from '../shared/batch-state';
import type { BatchSummary } from '../shared/contract';
import { listBatches } from '../store/batches';
import type { Print, WithContext } from './context';
import { count, shortDateTime, yen } from './human';
import { renderTable } from './table';

/** The batch list as staff read it: a header, the state the desktop app shows, counts with separators, local times. */
export function batchesTable(t: TFunction, batches: readonly BatchSummary[]): string {
  if (batches.length === 0) return t('cli.batchesEmpty');
  const right = { align: 'right' } as const;
  return renderTable(
    [
      { header: t('cli.column.id'), ...right },
      { header: t('batches.column.file') },
      { header: t('batches.column.importedAt') },
      { header: t('batches.column.orders'), ...right },
      { header: t('batches.column.valid'), ...right },
      { header: t('batches.column.invalid'), ...right },
      { header: t('batches.column.synced'), ...right },
      { header: t('batches.column.failed'), ...right },
      { header: t('batches.column.needsReview'), ...right },
      { header: t('batches.column.amount'), ...right },
      { header: t('batches.column.status') },
    ],
    batches.map((b) => [
      String(b.id),
      b.sourceFileName,
      shortDateTime(t, b.importedAt),
      count(t, b.orders.total),
      count(t, b.orders.valid),
      count(t, b.orders.invalid),
      count(t, b.orders.synced),
      count(t, b.orders.failed),
      count(t, b.orders.needsReview),
      yen(t, b.totalAmountYen),
      t(`batches.state.${batchState(b)}`),
    ]),
  );
}

/** `batches`: every imported batch with its counts (--json: the list as the desktop app receives it). */
export function registerBatchesCommand(program: Command, withContext: WithContext, print: Print, t: TFunction): void {
  program
    .command('batches')
    .description(t('cli.help.batches'))
    .option('--json', t('cli.help.json'))
    .action(() =>
      withContext((ctx) => {
        const batches = listBatches(ctx.store.db);
        print(batches, batchesTable(t, batches));
      }),
    );
}
