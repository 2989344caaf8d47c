import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { TFunction } from 'i18next';
import { auditEntries, auditLogHead, checkAudit, exportAuditLog } from '../operations';
import { AppError, type ErrorCode } from '../shared/errors';
import type { Print, WithContext } from './context';
import { parseBatchId } from './exports';
import { auditTable } from './listings';

const collect = (value: string, previous: string[]) => [...previous, value];
const HASH = /\b[0-9a-f]{64}\b/gi;

/** The hashes of a file of kept heads (sync --append-head writes "time seq hash" lines; any text with hashes does). */
function headsInFile(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new AppError('FILE_NOT_FOUND', { file });
  }
  return text.match(HASH) ?? [];
}

/** audit verify, head, list and export: the tamper-evident log and its anchor outside the store. */
export function registerAuditCommands(program: Command, withContext: WithContext, print: Print, t: TFunction): void {
  const audit = program.command('audit').description(t('cli.help.audit.description'));
  audit
    .command('verify')
    .description(t('cli.help.audit.verify'))
    .option('--expect-head <hash>', t('cli.help.audit.expectHead'), collect, [])
    .option('--expect-heads-file <file>', t('cli.help.audit.expectHeadsFile'))
    .option('--json', t('cli.help.json'))
    .action((options: { expectHead: string[]; expectHeadsFile?: string }) =>
      withContext((ctx) => {
        const expectHeads = [...options.expectHead, ...(options.expectHeadsFile ? headsInFile(options.expectHeadsFile) : [])];
        const result = checkAudit(ctx, expectHeads);
        const problems = result.problems.map((p) => ({ ...p, message: t(`errors.${p.code}`, p.params) }));
        print(
          { ok: result.ok, entries: result.entries, first_broken: result.firstBroken, head_hash: result.headHash, problems },
          result.ok
            ? t('cli.auditOk', { entries: result.entries })
            : problems.map((p) => t('cli.auditProblem', { message: p.message })).join('\n'),
        );
        const first = result.problems[0];
        if (first) throw new AppError(first.code as ErrorCode, first.params);
      }),
    );
  audit
    .command('head')
    .description(t('cli.help.audit.head'))
    .option('--json', t('cli.help.json'))
    .action(() =>
      withContext((ctx) => {
        const head = auditLogHead(ctx);
        print({ seq: head.seq, hash: head.hash }, t('cli.auditHead', head));
      }),
    );
  audit
    .command('list')
    .description(t('cli.help.audit.list'))
    .option('--batch <id>', t('cli.help.audit.batch'))
    .option('--since <time>', t('cli.help.audit.since'))
    .option('--action <action>', t('cli.help.audit.action'))
    .option('--json', t('cli.help.json'))
    .action((options: { batch?: string; since?: string; action?: string }) =>
      withContext((ctx) => {
        const entries = auditEntries(ctx, {
          batchId: options.batch === undefined ? undefined : parseBatchId(options.batch),
          since: options.since,
          action: options.action,
        });
        print(entries, auditTable(t, entries));
      }),
    );
  audit
    .command('export')
    .description(t('cli.help.audit.export'))
    .requiredOption('--out <file>', t('cli.help.out'))
    .action((options: { out: string }) =>
      withContext((ctx) => {
        const { entries } = exportAuditLog(ctx, options.out);
        print({ out: options.out, entries }, t('cli.exported', { out: options.out, rows: entries }));
      }),
    );
}
