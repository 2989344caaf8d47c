import { randomBytes } from 'node:crypto';
import { closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../shared/errors';

/** A store key: 256 random bits, held as 64 lowercase hex characters. Never logged, never sent over IPC. */
export type StoreKey = string & { readonly __brand: 'StoreKey' };

const HEX_KEY = /^[0-9a-fA-F]{64}$/;

export function generateKey(): StoreKey {
  return randomBytes(32).toString('hex') as StoreKey;
}

export function parseKey(text: string, source: string): StoreKey {
  const trimmed = text.trim();
  if (!HEX_KEY.test(trimmed)) throw new AppError('KEY_INVALID', { source });
  return trimmed.toLowerCase() as StoreKey;
}

export function readKeyFile(path: string): StoreKey {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new AppError('KEY_FILE_UNREADABLE', { path }, { cause });
  }
  if (process.platform !== 'win32') {
    // Like ssh with private keys: a key file others can read is refused, not silently used.
    const mode = statSync(path).mode & 0o077;
    if (mode !== 0) throw new AppError('KEY_FILE_INSECURE', { path, mode: `0${(statSync(path).mode & 0o777).toString(8)}` });
  }
  return parseKey(text, 'key-file');
}

/** Writes a key file readable by the owner only; refuses to overwrite an existing one. */
export function writeKeyFile(path: string, key: StoreKey): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    writeSync(fd, `${key}\n`);
  } finally {
    closeSync(fd);
  }
}

export interface HeadlessKeyOptions {
  /** ORDER_STAGER_KEY from the environment, if set. */
  envKey: string | undefined;
  /** --key-file, if given. */
  keyFile: string | undefined;
  /** Where the CLI keeps its own key file when neither of the above is given (in the config folder). */
  defaultKeyFile: string;
  /** Whether a store already exists: a new key is only ever made for a new store. */
  storeExists: boolean;
}

export interface ResolvedKey {
  key: StoreKey;
  source: 'env' | 'key-file' | 'default-key-file';
  /** Set when this call created a new key file. */
  createdKeyFile?: string;
}

/**
 * Finds the store key for a headless run. Order: ORDER_STAGER_KEY, --key-file, then the CLI's own key
 * file in the user's config folder. A key is generated only when no store exists yet; an existing store
 * with no key is an error, never a reason to start a fresh store.
 */
export function resolveHeadlessKey(options: HeadlessKeyOptions): ResolvedKey {
  if (options.envKey !== undefined && options.envKey !== '') {
    return { key: parseKey(options.envKey, 'ORDER_STAGER_KEY'), source: 'env' };
  }
  if (options.keyFile !== undefined) {
    return { key: readKeyFile(options.keyFile), source: 'key-file' };
  }
  if (existsSync(options.defaultKeyFile)) {
    return { key: readKeyFile(options.defaultKeyFile), source: 'default-key-file' };
  }
  if (options.storeExists) throw new AppError('KEY_MISSING', {});
  const key = generateKey();
  writeKeyFile(options.defaultKeyFile, key);
  return { key, source: 'default-key-file', createdKeyFile: options.defaultKeyFile };
}

/** The OS keychain wrapping a key (Electron safeStorage in the app; a fake in tests). */
export interface KeyWrapper {
  available(): Promise<boolean>;
  wrap(plain: string): Promise<Buffer>;
  unwrap(wrapped: Buffer): Promise<{ value: string; shouldRewrap: boolean }>;
}

export interface DesktopKeyOptions {
  envKey: string | undefined;
  /** The CLI's key file: when present the app uses it, so app and CLI share one store. */
  plainKeyFile: string;
  /** The key wrapped by the OS keychain. */
  wrappedKeyFile: string;
  storeExists: boolean;
  wrapper: KeyWrapper;
  readFile: (path: string) => Buffer | null;
  writeFile: (path: string, data: Buffer) => void;
}

export interface DesktopKey {
  key: StoreKey;
  source: 'env' | 'key-file' | 'keychain';
  created: boolean;
}

/**
 * Finds or creates the desktop app's store key. The key is kept wrapped by the OS keychain; it is
 * unwrapped only in the main process and never crosses IPC.
 */
export async function resolveDesktopKey(options: DesktopKeyOptions): Promise<DesktopKey> {
  if (options.envKey) return { key: parseKey(options.envKey, 'ORDER_STAGER_KEY'), source: 'env', created: false };
  if (existsSync(options.plainKeyFile)) return { key: readKeyFile(options.plainKeyFile), source: 'key-file', created: false };
  const wrapped = options.readFile(options.wrappedKeyFile);
  if (!(await options.wrapper.available())) throw new AppError('KEY_MISSING', { reason: 'keychain-unavailable' });
  if (wrapped) {
    const { value, shouldRewrap } = await options.wrapper.unwrap(wrapped);
    const key = parseKey(value, 'keychain');
    if (shouldRewrap) options.writeFile(options.wrappedKeyFile, await options.wrapper.wrap(key));
    return { key, source: 'keychain', created: false };
  }
  if (options.storeExists) throw new AppError('KEY_MISSING', {});
  const key = generateKey();
  options.writeFile(options.wrappedKeyFile, await options.wrapper.wrap(key));
  return { key, source: 'keychain', created: true };
}
