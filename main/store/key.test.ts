import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { AppError } from '../shared/errors';
import { generateKey, type KeyWrapper, parseKey, resolveDesktopKey, resolveHeadlessKey, writeKeyFile } from './key';

const tempDir = tempDirsPerTest();

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : 'not-an-AppError';
  }
  return undefined;
}

describe('store keys', () => {
  it('are 256 random bits as 64 hex characters', () => {
    const a = generateKey();
    const b = generateKey();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
  });

  it('reject anything but 64 hex characters', () => {
    expect(codeOf(() => parseKey('abc', 'test'))).toBe('KEY_INVALID');
    expect(codeOf(() => parseKey(`${'a'.repeat(63)}'`, 'test'))).toBe('KEY_INVALID');
    expect(codeOf(() => parseKey(`${'a'.repeat(62)}"x`, 'test'))).toBe('KEY_INVALID');
    expect(parseKey(` ${'AB'.repeat(32)}\n`, 'test')).toBe('ab'.repeat(32));
  });
});

describe('headless key resolution', () => {
  it('prefers ORDER_STAGER_KEY, then --key-file, then the default key file', () => {
    const dir = tempDir();
    const envKey = generateKey();
    const fileKey = generateKey();
    const defaultKey = generateKey();
    writeKeyFile(join(dir, 'given.key'), fileKey);
    writeKeyFile(join(dir, 'default.key'), defaultKey);
    const base = { keyFile: join(dir, 'given.key'), defaultKeyFile: join(dir, 'default.key'), storeExists: true };
    expect(resolveHeadlessKey({ ...base, envKey })).toEqual({ key: envKey, source: 'env' });
    expect(resolveHeadlessKey({ ...base, envKey: undefined })).toEqual({ key: fileKey, source: 'key-file' });
    expect(resolveHeadlessKey({ ...base, envKey: undefined, keyFile: undefined })).toEqual({ key: defaultKey, source: 'default-key-file' });
  });

  it('creates a 0600 key file only when no store exists yet', () => {
    const dir = tempDir();
    const defaultKeyFile = join(dir, 'config', 'store.key');
    const created = resolveHeadlessKey({ envKey: undefined, keyFile: undefined, defaultKeyFile, storeExists: false });
    expect(created.createdKeyFile).toBe(defaultKeyFile);
    expect(readFileSync(defaultKeyFile, 'utf8').trim()).toBe(created.key);
    if (process.platform !== 'win32') expect(statSync(defaultKeyFile).mode & 0o777).toBe(0o600);
    const again = resolveHeadlessKey({ envKey: undefined, keyFile: undefined, defaultKeyFile, storeExists: true });
    expect(again).toEqual({ key: created.key, source: 'default-key-file' });
  });

  it('never invents a key for an existing store', () => {
    const dir = tempDir();
    const defaultKeyFile = join(dir, 'store.key');
    expect(codeOf(() => resolveHeadlessKey({ envKey: undefined, keyFile: undefined, defaultKeyFile, storeExists: true }))).toBe(
      'KEY_MISSING',
    );
    expect(existsSync(defaultKeyFile)).toBe(false);
  });

  it('refuses a key file other users can read, and a missing one', () => {
    const dir = tempDir();
    const path = join(dir, 'loose.key');
    writeFileSync(path, generateKey());
    chmodSync(path, 0o644);
    const base = { envKey: undefined, defaultKeyFile: join(dir, 'd.key'), storeExists: true };
    if (process.platform !== 'win32') expect(codeOf(() => resolveHeadlessKey({ ...base, keyFile: path }))).toBe('KEY_FILE_INSECURE');
    expect(codeOf(() => resolveHeadlessKey({ ...base, keyFile: join(dir, 'nope.key') }))).toBe('KEY_FILE_UNREADABLE');
    expect(codeOf(() => resolveHeadlessKey({ ...base, keyFile: undefined, envKey: 'not-hex' }))).toBe('KEY_INVALID');
  });
});

describe('desktop key resolution (keychain-wrapped)', () => {
  // A stand-in for safeStorage: reversible, but never the plain key on disk.
  const fakeKeychain = (options: { available?: boolean; rewrap?: boolean } = {}): KeyWrapper & { wraps: number } => {
    const wrapper = {
      wraps: 0,
      available: async () => options.available ?? true,
      wrap: async (plain: string) => {
        wrapper.wraps += 1;
        return Buffer.from(plain.split('').reverse().join(''), 'utf8');
      },
      unwrap: async (wrapped: Buffer) => ({
        value: wrapped.toString('utf8').split('').reverse().join(''),
        shouldRewrap: options.rewrap ?? false,
      }),
    };
    return wrapper;
  };
  const memoryFiles = () => {
    const files = new Map<string, Buffer>();
    return { files, readFile: (p: string) => files.get(p) ?? null, writeFile: (p: string, d: Buffer) => void files.set(p, d) };
  };

  it('creates a key for a new store, keeps it only wrapped, and unwraps it next time', async () => {
    const dir = tempDir();
    const fs = memoryFiles();
    const keychain = fakeKeychain();
    const base = {
      envKey: undefined,
      plainKeyFile: join(dir, 'store.key'),
      wrappedKeyFile: join(dir, 'store.key.safe'),
      wrapper: keychain,
      ...fs,
    };
    const first = await resolveDesktopKey({ ...base, storeExists: false });
    expect(first.created).toBe(true);
    const stored = fs.files.get(base.wrappedKeyFile);
    expect(stored?.toString('utf8')).not.toContain(first.key);
    const second = await resolveDesktopKey({ ...base, storeExists: true });
    expect(second).toEqual({ key: first.key, source: 'keychain', created: false });
  });

  it('re-wraps when the keychain asks for it, and refuses to invent a key for an existing store', async () => {
    const dir = tempDir();
    const fs = memoryFiles();
    const keychain = fakeKeychain({ rewrap: true });
    const base = {
      envKey: undefined,
      plainKeyFile: join(dir, 'store.key'),
      wrappedKeyFile: join(dir, 'store.key.safe'),
      wrapper: keychain,
      ...fs,
    };
    await expect(resolveDesktopKey({ ...base, storeExists: true })).rejects.toMatchObject({ code: 'KEY_MISSING' });
    await resolveDesktopKey({ ...base, storeExists: false });
    await resolveDesktopKey({ ...base, storeExists: true });
    expect(keychain.wraps).toBe(2);
  });

  it('uses the CLI key file when there is one, so app and CLI share one store', async () => {
    const dir = tempDir();
    const key = generateKey();
    writeKeyFile(join(dir, 'store.key'), key);
    const result = await resolveDesktopKey({
      envKey: undefined,
      plainKeyFile: join(dir, 'store.key'),
      wrappedKeyFile: join(dir, 'store.key.safe'),
      storeExists: true,
      wrapper: fakeKeychain({ available: false }),
      ...memoryFiles(),
    });
    expect(result).toEqual({ key, source: 'key-file', created: false });
  });

  it('fails clearly when no keychain is available', async () => {
    const dir = tempDir();
    await expect(
      resolveDesktopKey({
        envKey: undefined,
        plainKeyFile: join(dir, 'store.key'),
        wrappedKeyFile: join(dir, 'store.key.safe'),
        storeExists: false,
        wrapper: fakeKeychain({ available: false }),
        ...memoryFiles(),
      }),
    ).rejects.toMatchObject({ code: 'KEY_MISSING', params: { reason: 'keychain-unavailable' } });
  });
});
