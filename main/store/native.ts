import { AppError } from '../shared/errors';

/** The SQLCipher driver: a native addon, built for one Node ABI (NODE_MODULE_VERSION) at a time. */
export const SQLITE_MODULE = 'better-sqlite3-multiple-ciphers';

function field(error: unknown, name: 'code' | 'message'): string {
  return typeof error === 'object' && error !== null && name in error ? String((error as Record<string, unknown>)[name]) : '';
}

/**
 * Whether an error thrown while constructing a connection is the driver's native half failing to load: built
 * for another Node or Electron (ERR_DLOPEN_FAILED, "NODE_MODULE_VERSION 115 … requires 127"), not a shared
 * library at all, or never built (no .node file: `bindings` or `require` cannot find it). Then it is
 * NATIVE_MODULE_MISMATCH with the runtime's ABI and, when Node's message names it, the module's, never a
 * key error: the store was not touched. Paths in the message are not copied into the parameters.
 */
export function nativeLoadError(error: unknown): AppError | undefined {
  const code = field(error, 'code');
  const message = field(error, 'message');
  const dlopen = code === 'ERR_DLOPEN_FAILED' || message.includes('NODE_MODULE_VERSION');
  const notBuilt = message.startsWith('Could not locate the bindings file') || (code === 'MODULE_NOT_FOUND' && /\.node\b/.test(message));
  if (!dlopen && !notBuilt) return undefined;
  // Node: "…compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of
  // Node.js requires NODE_MODULE_VERSION 127." The first number is the module's.
  const moduleAbi = /NODE_MODULE_VERSION (\d+)/.exec(message)?.[1] ?? '?';
  return new AppError(
    'NATIVE_MODULE_MISMATCH',
    { module: SQLITE_MODULE, runtimeAbi: process.versions.modules, moduleAbi },
    { cause: error },
  );
}
