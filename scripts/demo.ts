/**
 * The one-command demo: runs the main job end to end in a throw-away data folder, so it never touches a
 * real store. Each stage prints what it did; the exit status is non-zero if any stage fails.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../main/cli/program';
import { generateKey } from '../main/store/key';

async function main(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'order-stager-demo-'));
  const env = { ...process.env, ORDER_STAGER_KEY: process.env.ORDER_STAGER_KEY ?? generateKey() };
  const io = { stdout: (t: string) => process.stdout.write(t), stderr: (t: string) => process.stderr.write(t), env };
  const step = async (title: string, args: string[]) => {
    process.stdout.write(`\n== ${title}\n$ order-stager ${args.join(' ')}\n`);
    const code = await runCli(['--data-dir', dataDir, ...args], io);
    if (code !== 0) throw new Error(`${title} failed (exit ${code})`);
  };
  await step('Encrypted store', ['store', 'info']);
  await step('Batches', ['batches']);
  process.stdout.write(`\nDemo data folder: ${dataDir}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : 'demo failed'}\n`);
    process.exitCode = 1;
  },
);
