import type { Command } from 'commander';
import type { TFunction } from 'i18next';
import { registerBackendCommands } from './backend';
import type { Print, WithContext } from './context';
import { registerExportCommands } from './exports';
import { registerScheduleCommands } from './schedule';

// main/cli/sync.ts reads its secret through this path.
export { readStdin } from './stdin';

/** Export and re-import, ready and schedule, backend (store, audit and retention have their own files). */
export function registerRecordCommands(
  program: Command,
  withContext: WithContext,
  print: Print,
  t: TFunction,
  io: { stderr: (text: string) => void; env: NodeJS.ProcessEnv },
): void {
  registerExportCommands(program, withContext, print, t);
  registerScheduleCommands(program, withContext, print, t);
  registerBackendCommands(program, withContext, print, t, io.env);
}
