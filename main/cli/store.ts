import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { TFunction } from 'i18next';
import { backupTo, rekey, restoreFromBackup, storeInfo } from '../operations';
import { type GlobalOptions, type Print, resolveCliStore, type WithContext } from './context';

/** store info, rekey, backup and restore: the encrypted store itself. */
export function registerStoreCommands(
  program: Command,
  withContext: WithContext,
  print: Print,
  t: TFunction,
  io: { stderr: (text: string) => void; env: NodeJS.ProcessEnv },
): void {
  const store = program.command('store').description(t('cli.help.store.description'));
  store
    .command('info')
    .description(t('cli.help.store.info'))
    .option('--json', t('cli.help.json'))
    .action(() =>
      withContext((ctx) => {
        const found = storeInfo(ctx);
        const info = {
          path: found.path,
          cipher: found.cipher,
          encrypted: found.encrypted,
          schema_version: found.schemaVersion,
          key_source: ctx.keySource.source,
        };
        print(
          info,
          t('cli.storeInfo', {
            path: info.path,
            cipher: info.cipher,
            schemaVersion: info.schema_version,
            keySource: t(`cli.keySource.${info.key_source}`),
          }),
        );
      }),
    );
  store
    .command('rekey')
    .description(t('cli.help.store.rekey'))
    .requiredOption('--new-key-file <file>', t('cli.help.store.newKeyFile'))
    .option('--json', t('cli.help.json'))
    .action((options: { newKeyFile: string }) =>
      withContext((ctx) => {
        const { backupPath } = rekey(ctx, options.newKeyFile);
        print({ key_file: options.newKeyFile, backup: backupPath }, t('cli.rekeyDone', { keyFile: options.newKeyFile, backupPath }));
      }),
    );
  store
    .command('backup')
    .description(t('cli.help.store.backup'))
    .requiredOption('--out <file>', t('cli.help.store.backupOut'))
    .action((options: { out: string }) =>
      withContext((ctx) => {
        const result = backupTo(ctx, resolve(options.out));
        print(result, t('cli.backedUp', { out: result.path }));
      }),
    );
  store
    .command('restore')
    .description(t('cli.help.store.restore'))
    .requiredOption('--from <file>', t('cli.help.store.from'))
    .action(async (options: { from: string }) => {
      const { dbPath, key } = resolveCliStore(program.opts<GlobalOptions>(), io.env, (path) =>
        io.stderr(`${t('cli.keyFileCreated', { path })}\n`),
      );
      const result = await restoreFromBackup({ storePath: dbPath, key: key.key }, resolve(options.from), withContext);
      print({ restored: dbPath, previous: result.previous }, t('cli.restored', { path: dbPath, previous: result.previous ?? '-' }));
    });
}
