import type { Command } from 'commander';
import type { TFunction } from 'i18next';
import type { ImportIssue, ImportNotes } from '../import/stage';
import type { ValidationIssue } from '../import/validate';
import { issueText } from '../shared/issue-text';
import { batchOrders, editOrder, importSpreadsheet, validateBatch } from '../operations';
import { integerText, parseOption } from '../operations/input';
import { channels } from '../shared/contract';
import { AppError } from '../shared/errors';
import { hasBlocking, MASTER_CODES } from '../shared/validation';
import type { Print, WithContext } from './context';
import { parseBatchId } from './exports';
import { type FileOptions, parseFileOptions, readCliFile, textFacts } from './import-options';

const editInput = channels.editField.input.shape;
const importInput = channels.runImport.input.shape;

/** The translated message of a validation issue, as staff read it (field names translated too). */
export function issueMessage(t: TFunction, issue: ValidationIssue): string {
  return issueText(t, issue);
}

/** The import's notes as sentences (none when there is nothing to say). */
function noteLines(t: TFunction, notes: ImportNotes): string[] {
  const said = [
    ['cli.continuedLines', notes.continuedLines],
    ['cli.datesWithoutYear', notes.datesWithoutYear],
  ] as const;
  return said.flatMap(([key, count]) => (count > 0 ? [t(key, { count, formatted: count.toLocaleString('ja-JP') })] : []));
}

/** One line counting the master checks' findings by code (none without them). */
function masterSummary(t: TFunction, issues: readonly ImportIssue[]): string[] {
  const counts = new Map<string, number>();
  for (const issue of issues)
    if ((MASTER_CODES as readonly string[]).includes(issue.code)) counts.set(issue.code, (counts.get(issue.code) ?? 0) + 1);
  if (counts.size === 0) return [];
  const summary = [...counts]
    .map(([code, count]) => t('masters.checkItem', { code, count: count.toLocaleString('ja-JP') }))
    .join(t('masters.separator'));
  return [t('masters.checkSummary', { summary })];
}

export function parseMap(values: string[]): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    if (at <= 0) throw new AppError('IMPORT_MAPPING_INVALID', { mapping: value });
    overrides[value.slice(0, at)] = value.slice(at + 1);
  }
  return overrides;
}

export const collect = (value: string, previous: string[]) => [...previous, value];

interface ImportCommandOptions extends FileOptions {
  sheet?: string;
  template?: string;
  map: string[];
  saveTemplate?: string;
}

export function registerOrderCommands(program: Command, withContext: WithContext, print: Print, t: TFunction): void {
  program
    .command('import')
    .description('import an Excel/CSV order sheet into a new batch, validating every order')
    .argument('<file>', '.xlsx, .xlsm, .xls, .csv, .tsv or .txt')
    .option('--sheet <name>', 'sheet to import (default: the first sheet holding order data)')
    .option('--encoding <enc>', 'text encoding: auto, utf-8, shift_jis, euc-jp, utf-16le or utf-16be', 'auto')
    .option('--header-row <n>', 'the row (as Excel numbers it) holding the headers, when it is not found automatically')
    .option('--template <name>', 'use a saved column-mapping template')
    .option('--map <field=header>', 'map a field to a column (header text or 1-based number); repeatable', collect, [])
    .option('--save-template <name>', 'save the column mapping used under this name')
    .option('--json', 'print JSON')
    .action((file: string, options: ImportCommandOptions) =>
      withContext((ctx) => {
        const result = importSpreadsheet(ctx, readCliFile(file), {
          ...parseFileOptions(options),
          sheet: parseOption(importInput.sheet, options.sheet, '--sheet'),
          template: parseOption(importInput.template, options.template, '--template'),
          overrides: parseMap(options.map),
          saveTemplateAs: parseOption(importInput.saveTemplateAs, options.saveTemplate, '--save-template'),
        });
        const errors = result.errors.map((issue: ImportIssue) => ({
          order_ref: issue.order_ref,
          row: issue.row,
          field: issue.field,
          code: issue.code,
          value: issue.value,
          message: issueMessage(t, issue),
        }));
        const shown = errors.slice(0, 20);
        const text = [
          t('cli.importSummary', { batchId: result.batchId, file: result.file, lines: result.lines, ...result.orders }),
          ...noteLines(t, result.notes),
          ...(result.sheetHidden ? [t('import.doneHiddenSheet', { sheet: result.sheet })] : []),
          ...(textFacts(t, result) ? [textFacts(t, result)] : []),
          ...masterSummary(t, result.errors),
          ...shown.map((e) => t('cli.issueLine', { row: e.row, orderRef: e.order_ref, code: e.code, message: e.message })),
          ...(errors.length > shown.length ? [t('cli.moreIssues', { count: errors.length - shown.length })] : []),
        ].join('\n');
        print(
          {
            batch_id: result.batchId,
            file: result.file,
            sheet: result.sheet,
            sheet_hidden: result.sheetHidden,
            encoding: result.encoding,
            delimiter: result.delimiter,
            header_row: result.headerRow,
            mapping: result.mapping,
            template: result.template,
            lines: result.lines,
            orders: result.orders,
            continued_lines: result.notes.continuedLines,
            dates_without_year: result.notes.datesWithoutYear,
            errors,
          },
          text,
        );
      }),
    );

  program
    .command('orders')
    .description('list every staged order of a batch with its items and errors')
    .argument('<batch-id>')
    .option('--json', 'print JSON')
    .action((batchId: string) =>
      withContext((ctx) => {
        const orders = batchOrders(ctx, parseBatchId(batchId));
        const text = orders
          .map((o) => `${o.order_ref}\t${o.status}\t${o.total_amount ?? ''}\t${o.items.length}\t${o.errors.join(',')}`)
          .join('\n');
        print(
          orders.map((o) => ({ ...o, error_details: o.error_details.map((d) => ({ ...d, message: issueMessage(t, d) })) })),
          text,
        );
      }),
    );

  program
    .command('edit')
    .description('change one field of a staged order and revalidate it (recorded in the audit log)')
    .argument('<batch-id>')
    .argument('<order-ref>')
    .requiredOption(
      '--field <field>',
      'customer_id, customer_name, email, sku, quantity, unit_price, card_token, shipping_address, delivery_date, notes',
    )
    .requiredOption('--value <value>', 'the new value ("" clears it)')
    .option('--row <row>', "for sku/quantity/unit_price of a multi-line order: the line's source row")
    .option('--json', 'print JSON')
    .action((batchId: string, orderRef: string, options: { field: string; value: string; row?: string }) =>
      withContext((ctx) => {
        const result = editOrder(ctx, {
          batchId: parseBatchId(batchId),
          orderRef: parseOption(editInput.orderRef, orderRef, 'order-ref'),
          field: parseOption(editInput.field, options.field, '--field'),
          value: parseOption(editInput.value, options.value, '--value'),
          row: parseOption(editInput.row, integerText(options.row), '--row'),
        });
        const status = hasBlocking(result.issues) ? 'invalid' : 'valid';
        print(
          {
            order_ref: orderRef,
            status,
            total_amount: result.total,
            errors: result.issues.map((i) => ({ ...i, message: issueMessage(t, i) })),
          },
          [
            t('cli.editDone', { orderRef, status }),
            ...result.issues.map((i) => t('cli.issueLine', { row: i.row, orderRef, code: i.code, message: issueMessage(t, i) })),
          ].join('\n'),
        );
      }),
    );

  program
    .command('validate')
    .description('revalidate every order of a batch')
    .argument('<batch-id>')
    .option('--json', 'print JSON')
    .action((batchId: string) =>
      withContext((ctx) => {
        const counts = validateBatch(ctx, parseBatchId(batchId));
        print({ batch_id: Number(batchId), orders: counts }, t('cli.validateDone', { batchId, ...counts }));
      }),
    );
}
