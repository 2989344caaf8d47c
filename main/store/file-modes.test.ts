import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { writePrivateFile } from '../config/private-files';
import { storePath } from '../config/paths';
import { appendAudit } from '../audit/log';
import { backupStore, restoreStore } from './backup';
import { openStore, rekeyStore } from './database';
import { generateKey } from './key';

const tempDir = tempDirsPerTest();
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** Every file in the folder with its mode. */
const modes = (dir: string) => Object.fromEntries(readdirSync(dir).map((name) => [name, mode(join(dir, name))]));

describe.skipIf(process.platform === 'win32')('file modes on POSIX', () => {
  it('creates the data folder 0700 and the store, its WAL and shared memory 0600', () => {
    const dataDir = join(tempDir(), 'Order Stager');
    const store = openStore({ path: storePath(dataDir), key: generateKey() });
    appendAudit(store.db, { actor: 'sato', action: 'settings.changed' });
    expect(mode(dataDir)).toBe('700');
    expect(modes(dataDir)).toEqual({ 'order-stager.db': '600', 'order-stager.db-wal': '600', 'order-stager.db-shm': '600' });
    store.close();
  });

  it('tightens a 0755 folder and 0644 store files left by an older version', () => {
    const key = generateKey();
    const dataDir = join(tempDir(), 'Order Stager');
    openStore({ path: storePath(dataDir), key }).close();
    chmodSync(dataDir, 0o755);
    chmodSync(storePath(dataDir), 0o644);
    const store = openStore({ path: storePath(dataDir), key });
    expect(mode(dataDir)).toBe('700');
    expect(Object.values(modes(dataDir)).every((m) => m === '600')).toBe(true);
    store.close();
  });

  it('leaves a folder that holds other things open (--data-dir .), but writes its own files 0600', () => {
    const project = tempDir();
    chmodSync(project, 0o755);
    writeFileSync(join(project, 'package.json'), '{}', { mode: 0o644 });
    const store = openStore({ path: storePath(project), key: generateKey() });
    expect(mode(project)).toBe('755');
    expect(mode(join(project, 'package.json'))).toBe('644');
    expect(mode(storePath(project))).toBe('600');
    store.close();
  });

  it('writes backups, re-key copies, restored stores and exports 0600', () => {
    const key = generateKey();
    const dataDir = tempDir();
    const out = tempDir();
    chmodSync(out, 0o755);
    const store = openStore({ path: storePath(dataDir), key });
    backupStore(store, join(out, 'backup.db'), key);
    expect(mode(join(out, 'backup.db'))).toBe('600');
    const newKey = generateKey();
    const { backupPath } = rekeyStore(store, newKey);
    expect(mode(backupPath)).toBe('600');
    store.close();
    chmodSync(join(out, 'backup.db'), 0o644);
    restoreStore(storePath(dataDir), join(out, 'backup.db'), key);
    expect(mode(storePath(dataDir))).toBe('600');

    // Exports hold personal data in clear: new files 0600, and a file staff chose to overwrite is tightened.
    writePrivateFile(join(out, 'errors.csv'), 'a,b\r\n');
    expect(mode(join(out, 'errors.csv'))).toBe('600');
    writeFileSync(join(out, 'old.csv'), 'x', { mode: 0o644 });
    writePrivateFile(join(out, 'old.csv'), 'a,b\r\n');
    expect(mode(join(out, 'old.csv'))).toBe('600');
  });
});
