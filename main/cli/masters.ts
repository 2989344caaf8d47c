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
import { count } from './human';
import { masterTable } from './listings';
import { collect, parseMap } from './orders';

function rowErrorLine(t: TFunction, error: MasterRowError): string {
  const field = t(`masters.field.${error.field}`, { defaultValue: error.field });
  return t(`masters.rowError.${error.code}`, { row: error.row, field, value: error.value });
}

function revalidationLine(t: TFunction, summary: RevalidationSummary): string {
  return t('masters.revalidated', {
    batches: count(t, summary.batches),
    becameInvalid: count(t, summary.becameInvalid),
    becameValid: count(t, summary.becameValid),
  });
}

/** `master import|show|clear`: thin adapters over main/operations/masters.ts, options parsed with the contract's schemas. */
export function registerMasterCommands(program: Command, withContext: WithContext, print: Print, t: TFunction): void {
  const master = program.command('master').description(t('cli.help.master.description'));

  master
    .command('import')
    .description(t('cli.help.master.import'))
    .argument('<list>', t('cli.help.master.list'))
    .argument('<file>', t('cli.help.master.file'))
    .option('--sheet <name>', t('cli.help.master.sheet'))
    .option('--map <field=header>', t('cli.help.master.map'), collect, [])
    .option('--json', t('cli.help.json'))
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
            rows: count(t, result.rows),
            added: count(t, result.added),
            changed: count(t, result.changed),
            removed: count(t, result.removed),
            errors: count(t, result.errors.length),
          }),
          ...result.errors.slice(0, 50).map((error) => rowErrorLine(t, error)),
          revalidationLine(t, result.revalidation),
        ].join('\n');
        print(value, text);
      }),
    );

  master
    .command('show')
    .description(t('cli.help.master.show'))
    .argument('<list>', t('cli.help.master.showList'))
    .option('--search <text>', t('cli.help.master.search'))
    .option('--limit <n>', t('cli.help.master.limit'), '100')
    .option('--json', t('cli.help.json'))
    .action((listName: string, options: { search?: string; limit: string }) =>
      withContext((ctx) => {
        const list = parseOption(MasterShowList, listName, 'list');
        const search = parseOption(MasterSearch.optional(), options.search, '--search');
        const limit = parseOption(channels.showMaster.input.shape.limit, integerText(options.limit), '--limit');
        const { rows } = showMaster(ctx, { list, search, limit });
        print(rows, masterTable(t, rows));
      }),
    );

  master
    .command('clear')
    .description(t('cli.help.master.clear'))
    .argument('<list>', t('cli.help.master.list'))
    .option('--json', t('cli.help.json'))
    .action((listName: string) =>
      withContext((ctx) => {
        const list = parseOption(MasterListName, listName, 'list');
        const result = clearMaster(ctx, { list });
        const text = [
          t('masters.cleared', { list: t(`masters.list.${list}`), removed: count(t, result.removed) }),
          revalidationLine(t, result.revalidation),
        ].join('\n');
        print({ list, ...result }, text);
      }),
    );

  master
    .command('tolerance')
    .description(t('cli.help.master.tolerance'))
    .argument('<yen>', t('cli.help.master.yen'))
    .option('--json', t('cli.help.json'))
    .action((yen: string) =>
      withContext((ctx) => {
        const value = parseOption(MasterPriceTolerance, yen === 'off' ? null : integerText(yen), 'yen');
        const revalidation = setPriceTolerance(ctx, value);
        print({ tolerance: value, revalidation }, revalidationLine(t, revalidation));
      }),
    );
}
