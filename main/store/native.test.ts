import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { AppError } from '../shared/errors';
import { createI18n } from '../shared/i18n';
import { openStore } from './database';
import { generateKey } from './key';
import { nativeLoadError } from './native';

const tempDir = tempDirsPerTest();

function openWith(nativeBinding: string): unknown {
  try {
    openStore({ path: join(tempDir(), 'order-stager.db'), key: generateKey(), nativeBinding }).close();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('a SQLCipher driver that does not load', () => {
  it('is NATIVE_MODULE_MISMATCH with this runtime ABI when the .node file is not a loadable library (ERR_DLOPEN_FAILED)', () => {
    const fake = join(tempDir(), 'better_sqlite3.node');
    writeFileSync(fake, 'not a shared library');
    const error = openWith(fake);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'NATIVE_MODULE_MISMATCH',
      params: { module: 'better-sqlite3-multiple-ciphers', runtimeAbi: process.versions.modules, moduleAbi: '?' },
    });
    expect(((error as AppError).cause as { code: string }).code).toBe('ERR_DLOPEN_FAILED');
    // The path of the module (the user's home) is not in the parameters.
    expect(JSON.stringify((error as AppError).params)).not.toContain(tempDir());
  });

  it('is NATIVE_MODULE_MISMATCH when the driver was never built (no .node file)', () => {
    expect(openWith(join(tempDir(), 'missing', 'better_sqlite3.node'))).toMatchObject({ code: 'NATIVE_MODULE_MISMATCH' });
  });

  it("names the module's ABI from Node's message for a module built for another Node or Electron", () => {
    // Shaped as Node throws it from process.dlopen (Node 20's ABI 115 module loaded by Node 24, ABI 137).
    const dlopen = Object.assign(
      new Error(
        "The module '/app/node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node'\n" +
          'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\n' +
          'NODE_MODULE_VERSION 137. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).',
      ),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    const error = nativeLoadError(dlopen);
    expect(error?.params).toEqual({ module: 'better-sqlite3-multiple-ciphers', runtimeAbi: process.versions.modules, moduleAbi: '115' });
    const bindings = new Error('Could not locate the bindings file. Tried:\n → /app/build/better_sqlite3.node');
    expect(nativeLoadError(bindings)?.code).toBe('NATIVE_MODULE_MISMATCH');
  });

  it('leaves every other failure alone (a wrong key stays a store error)', () => {
    expect(nativeLoadError(Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' }))).toBeUndefined();
    expect(nativeLoadError(Object.assign(new Error("Cannot find module 'zod'"), { code: 'MODULE_NOT_FOUND' }))).toBeUndefined();
    expect(nativeLoadError('boom')).toBeUndefined();
  });

  it('tells staff, in Japanese and English, that the key is not the problem and how to fix it', () => {
    const params = { module: 'better-sqlite3-multiple-ciphers', runtimeAbi: '137', moduleAbi: '115' };
    const ja = createI18n('ja').t('errors.NATIVE_MODULE_MISMATCH', params);
    const en = createI18n('en').t('errors.NATIVE_MODULE_MISMATCH', params);
    for (const text of [ja, en]) {
      expect(text).toContain('npm rebuild better-sqlite3-multiple-ciphers');
      expect(text).toContain('137');
      expect(text).toContain('115');
    }
    expect(ja).toContain('暗号鍵の問題ではありません');
    expect(en).toContain('the key is not the problem');
  });
});
