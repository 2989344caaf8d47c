import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import type { TFunction } from 'i18next';
import type { MasterRowError } from '../masters/read';
import type { RevalidationSummary } from '../masters/replace';
import { clearMaster, importMaster, readMasterSource, setPriceTolerance, showMaster } from '../operations';
import { integerText, parseOption } from '../operations/input';
import {
  channels,
  MasterListName,
  MasterOverrides,
  MasterPriceTolerance,
  MasterSearch,
  MasterSheet,
  MasterShowList,
} from '../shared/contract';
import type { Print, WithContext } from './context';
import { collect, parseMap } from './orders';

const n = (value: number) => value.toLocaleString('ja-JP');

function rowErrorLine(t: TFunction, error: MasterRowError): string {
  const field = t(`masters.field.${error.field}`, { defaultValue: error.field });
  return t(`masters.rowError.${error.code}`, { row: error.row, field, value: error.value });
}

function revalidationLine(t: TFunction, summary: RevalidationSummary): string {
  return t('masters.revalidated', {
    batches: n(summary.batches),
    becameInvalid: n(summary.becameInvalid),
    becameValid: n(summary.becameValid),
  });
}

/** `master import|show|clear`: thin adapters over main/operations/masters.ts, options parsed with the contract's schemas. */
export function registerMasterCommands(program: Command, withContext: WithContext, print: Print, t: TFunction): void {
  const master = program.command('master').description('master lists (products, customers, per-customer prices) checked against orders');

  master
    .command('import')
    .description('replace a master list with an Excel/CSV file and revalidate staged orders')
    .argument('<list>', 'products, customers or prices')
    .argument('<file>', '.xlsx, .xls, .csv, .tsv or .txt')
    .option('--sheet <name>', 'sheet to import (default: the first sheet whose header row is found)')
    .option('--map <field=header>', 'map a list field to a column (header text or 1-based number); repeatable', collect, [])
    .option('--json', 'print JSON')
    .action((listName: string, file: string, options: { sheet?: string; map: string[] }) =>
      withContext((ctx) => {
        const list = parseOption(MasterListName, listName, 'list');
        const path = resolve(file);
        const result = importMaster(ctx, list, readMasterSource(path, basename(path)), {
          sheet: parseOption(MasterSheet.optional(), options.sheet, '--sheet'),
          overrides: parseOption(MasterOverrides, parseMap(options.map), '--map'),
        });
        const value = {
          list: result.list,
          rows: result.rows,
          added: result.added,
          changed: result.changed,
          removed: result.removed,
          errors: result.errors.map((error) => ({ ...error, message: rowErrorLine(t, error) })),
          revalidation: result.revalidation,
        };
        const text = [
          t('masters.imported', {
            list: t(`masters.list.${list}`),
            rows: n(result.rows),
            added: n(result.added),
            changed: n(result.changed),
            removed: n(result.removed),
            errors: n(result.errors.length),
          }),
          ...result.errors.slice(0, 50).map((error) => rowErrorLine(t, error)),
          revalidationLine(t, result.revalidation),
        ].join('\n');
        print(value, text);
      }),
    );

  master
    .command('show')
    .description('list products or customers (codes and names), optionally only those holding a search text')
    .argument('<list>', 'products or customers')
    .option('--search <text>', 'only rows whose code, JAN or name holds this text')
    .option('--limit <n>', 'at most this many rows', '100')
    .option('--json', 'print JSON')
    .action((listName: string, options: { search?: string; limit: string }) =>
      withContext((ctx) => {
        const list = parseOption(MasterShowList, listName, 'list');
        const search = parseOption(MasterSearch.optional(), options.search, '--search');
        const limit = parseOption(channels.showMaster.input.shape.limit, integerText(options.limit), '--limit');
        const { rows } = showMaster(ctx, { list, search, limit });
        const text = rows.length
          ? rows
              .map((row) =>
                Object.values(row)
                  .map((v) => v ?? '')
                  .join('\t'),
              )
              .join('\n')
          : t('masters.empty');
        print(rows, text);
      }),
    );

  master
    .command('clear')
    .description('empty a master list (its checks stop) and revalidate staged orders')
    .argument('<list>', 'products, customers or prices')
    .option('--json', 'print JSON')
    .action((listName: string) =>
      withContext((ctx) => {
        const list = parseOption(MasterListName, listName, 'list');
        const result = clearMaster(ctx, { list });
        const text = [
          t('masters.cleared', { list: t(`masters.list.${list}`), removed: n(result.removed) }),
          revalidationLine(t, result.revalidation),
        ].join('\n');
        print({ list, ...result }, text);
      }),
    );

  master
    .command('tolerance')
    .description('how many yen a unit price may differ from the master price ("off" = exact), then revalidate staged orders')
    .argument('<yen>', 'a whole number of yen, or off')
    .option('--json', 'print JSON')
    .action((yen: string) =>
      withContext((ctx) => {
        const value = parseOption(MasterPriceTolerance, yen === 'off' ? null : integerText(yen), 'yen');
        const revalidation = setPriceTolerance(ctx, value);
        print({ tolerance: value, revalidation }, revalidationLine(t, revalidation));
      }),
    );
}
