import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { type AppContext, createAppContext } from '../app/context';
import { defaultKeyFile, defaultPaths, storePath } from '../config/paths';
import { openStore, storeExists } from '../store/database';
import { type ResolvedKey, resolveHeadlessKey } from '../store/key';
import pkg from '../../package.json';

export interface GlobalOptions {
  dataDir?: string;
  keyFile?: string;
}

export interface CliContext extends AppContext {
  /** Where the key came from (env, key file, new CLI key file). */
  keySource: ResolvedKey;
  close(): void;
}

export function currentActor(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Where the store is and its key, for a headless command: data dir, key (env, --key-file or the CLI's own key file). */
export function resolveCliStore(options: GlobalOptions, env: NodeJS.ProcessEnv, onKeyCreated: (path: string) => void) {
  const paths = defaultPaths();
  const dataDir = resolve(options.dataDir ?? paths.dataDir);
  const dbPath = storePath(dataDir);
  const key = resolveHeadlessKey({
    envKey: env.ORDER_STAGER_KEY,
    keyFile: options.keyFile,
    defaultKeyFile: defaultKeyFile(env.ORDER_STAGER_CONFIG_DIR ?? paths.configDir),
    storeExists: storeExists(dbPath),
  });
  if (key.createdKeyFile) onKeyCreated(key.createdKeyFile);
  return { dataDir, dbPath, key };
}

/** Opens the store for a headless command. */
export function openCliContext(options: GlobalOptions, env: NodeJS.ProcessEnv, onKeyCreated: (path: string) => void): CliContext {
  const { dataDir, dbPath, key } = resolveCliStore(options, env, onKeyCreated);
  const store = openStore({ path: dbPath, key: key.key });
  const ctx = createAppContext({ version: pkg.version, dataDir, store, actor: currentActor(), key: key.key });
  return { ...ctx, keySource: key, close: () => store.close() };
}

/** Runs a command's work on the opened store, then closes it. */
export type WithContext = (fn: (ctx: CliContext) => Promise<void> | void) => Promise<void>;
/** Prints a command's result: `value` as JSON with --json, else `text`. */
export type Print = (value: unknown, text: string) => void;
