import type { Command } from 'commander';
import type { TFunction } from 'i18next';
import { setFieldInBulk } from '../operations';
import { parseOption } from '../operations/input';
import { BulkEditInput, MatchInput } from '../shared/contract';
import { AppError } from '../shared/errors';
import type { Print, WithContext } from './context';
import { parseBatchId } from './exports';
import { collect } from './orders';

const edit = BulkEditInput.shape.edits.element.shape;
const filter = MatchInput.shape;

interface BulkSetOptions {
  field: string;
  value: string;
  order: string[];
  status?: string;
  code?: string;
  search?: string;
  all?: boolean;
}

/**
 * `bulk-set`: the review grid's "set for the selection / the filter", from the command line (issue 18). Exit
 * status 1 when an order was refused (locked, or no selected line), as sync exits 1 when an order failed.
 */
export function registerBulkCommands(program: Command, withContext: WithContext, print: Print, t: TFunction): { exitCode: number } {
  const outcome = { exitCode: 0 };
  program
    .command('bulk-set')
    .description(t('cli.help.bulkSet.description'))
    .argument('<batch-id>')
    .requiredOption('--field <field>', t('cli.help.edit.field'))
    .requiredOption('--value <value>', t('cli.help.edit.value'))
    .option('--order <order-ref>', t('cli.help.bulkSet.order'), collect, [])
    .option('--status <status>', t('cli.help.bulkSet.status'))
    .option('--code <code>', t('cli.help.bulkSet.code'))
    .option('--search <text>', t('cli.help.bulkSet.search'))
    .option('--all', t('cli.help.bulkSet.all'))
    .option('--json', t('cli.help.json'))
    .action((batchId: string, options: BulkSetOptions) => {
      const request = {
        batchId: parseBatchId(batchId),
        field: parseOption(edit.field, options.field, '--field'),
        value: parseOption(edit.value, options.value, '--value'),
        orderRefs: options.order.length ? options.order.map((ref) => parseOption(edit.orderRef, ref, '--order')) : undefined,
        status: parseOption(filter.status, options.status, '--status'),
        code: parseOption(filter.code, options.code, '--code'),
        search: parseOption(filter.search, options.search, '--search'),
      };
      // The whole batch only when asked for: a forgotten filter must not rewrite every order.
      const selected = request.orderRefs || request.status || request.code || request.search;
      if (!selected && !options.all) throw new AppError('INVALID_INPUT', { option: '--order / --status / --code / --search / --all' });
      return withContext((ctx) => {
        const result = setFieldInBulk(ctx, request);
        const params = { batchId: request.batchId, field: t(`fields.${request.field}`), ...result };
        const refused = result.refused.map((r) => ({
          ...r,
          message: t(`errors.${r.code}`, { batchId: request.batchId, orderRef: r.orderRef, row: r.row ?? '' }),
        }));
        print(
          { batch_id: request.batchId, field: request.field, ...result, refused },
          [t(result.applied ? 'cli.bulkSet.done' : 'cli.bulkSet.nothing', params), ...refused.map((r) => t('cli.bulkSet.refused', r))].join(
            '\n',
          ),
        );
        outcome.exitCode = refused.length ? 1 : 0;
      });
    });
  return outcome;
}
