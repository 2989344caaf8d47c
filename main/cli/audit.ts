import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { TFunction } from 'i18next';
import { auditEntries, auditLogHead, checkAudit, exportAuditLog } from '../operations';
import { AppError, type ErrorCode } from '../shared/errors';
import type { Print, WithContext } from './context';
import { parseBatchId } from './exports';

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
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description(
      'check the hash chain, the append-only triggers, that every batch and sync run has its entries, and (optionally) head hashes kept elsewhere',
    )
    .option(
      '--expect-head <hash>',
      'a head hash kept outside the store (audit head): it must still be in the chain; repeatable',
      collect,
      [],
    )
    .option('--expect-heads-file <file>', 'a file of kept head hashes (as sync --append-head writes it): each must be in the chain')
    .option('--json', 'print JSON')
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
    .description('print the hash of the last entry: keep it outside the store, then check it with audit verify --expect-head')
    .option('--json', 'print JSON')
    .action(() =>
      withContext((ctx) => {
        const head = auditLogHead(ctx);
        print({ seq: head.seq, hash: head.hash }, t('cli.auditHead', head));
      }),
    );
  audit
    .command('list')
    .description('list audit entries')
    .option('--batch <id>', 'only this batch')
    .option('--since <time>', 'only entries at or after this ISO time')
    .option('--action <action>', 'only this action (e.g. access: who looked at personal data)')
    .option('--json', 'print JSON')
    .action((options: { batch?: string; since?: string; action?: string }) =>
      withContext((ctx) => {
        const entries = auditEntries(ctx, {
          batchId: options.batch === undefined ? undefined : parseBatchId(options.batch),
          since: options.since,
          action: options.action,
        });
        print(
          entries,
          entries
            .map((e) => `${e.seq}\t${e.at}\t${e.actor}\t${e.action}\t${e.batchId ?? ''}\t${e.orderRef ?? ''}\t${e.details}`)
            .join('\n'),
        );
      }),
    );
  audit
    .command('export')
    .description('export the audit log as CSV (UTF-8 with BOM)')
    .requiredOption('--out <file>', 'where to write it')
    .action((options: { out: string }) =>
      withContext((ctx) => {
        const { entries } = exportAuditLog(ctx, options.out);
        print({ out: options.out, entries }, t('cli.exported', { out: options.out, rows: entries }));
      }),
    );
}
