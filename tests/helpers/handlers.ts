import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAppContext, type Dialogs } from '../../main/app/context';
import { createHandlers } from '../../main/handlers';
import { dispatch } from '../../main/handlers/dispatch';
import { channels, type Input, type Method, type Output } from '../../main/shared/contract';
import type { ErrorInfo } from '../../main/shared/errors';
import { openStore } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { SAMPLE_HEADERS, type SampleRow, textBytes } from '../../scripts/fixtures/sample-sheets';

/** Scripted OS dialogs: each call takes the next answer. */
export function scriptedDialogs(
  open: (string | null)[],
  save: (string | null)[],
  backups: (string | null)[] = [],
): Dialogs & { saveRequests: string[] } {
  const saveRequests: string[] = [];
  return {
    saveRequests,
    openSpreadsheet: async () => open.shift() ?? null,
    openBackup: async () => backups.shift() ?? null,
    saveFile: async (name) => {
      saveRequests.push(name);
      return save.shift() ?? null;
    },
  };
}

/** The app's handlers over a fresh store in `tempDir()`, called through the real dispatcher. */
export function handlerApp(tempDir: () => string) {
  function setup(dialogs: Dialogs, restoreAndRestart?: (path: string) => void) {
    const dataDir = tempDir();
    const key = generateKey();
    const store = openStore({ path: join(dataDir, 'store.db'), key });
    const ctx = createAppContext({ version: '1.0.0', dataDir, store, actor: 'sato', key, dialogs, restoreAndRestart });
    const changed: number[][] = [];
    const handlers = createHandlers(ctx, (ids) => changed.push(ids));
    /** Calls a channel through the real dispatcher (input and output validated) and unwraps the result. */
    async function call<M extends Method>(method: M, input?: Input<M>): Promise<Output<M>> {
      const result = await dispatch(handlers, channels[method].channel, input);
      if (!result.ok) throw Object.assign(new Error(result.error.code), { info: result.error });
      return result.value as Output<M>;
    }
    async function failure<M extends Method>(method: M, input?: Input<M>): Promise<ErrorInfo> {
      const result = await dispatch(handlers, channels[method].channel, input);
      if (result.ok) throw new Error(`${method} succeeded`);
      return result.error;
    }
    return { ctx, store, call, failure, changed, dataDir };
  }

  /** A store with one batch imported from a CSV of these lines. */
  async function importedBatch(lines: SampleRow[]) {
    const dir = tempDir();
    const path = join(dir, 'orders.csv');
    writeFileSync(path, textBytes([SAMPLE_HEADERS, ...lines], 'utf-8'));
    const env = setup(scriptedDialogs([], []));
    const file = await env.call('addDroppedFile', { path });
    const outcome = await env.call('runImport', { fileId: file.fileId });
    return { ...env, batchId: outcome.batchId };
  }

  return { setup, importedBatch };
}
