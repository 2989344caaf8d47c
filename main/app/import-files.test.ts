import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { ImportFiles } from './import-files';

const tempDir = tempDirsPerTest();

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'accepted';
};

describe('files handed to main for import', () => {
  it('gives an id for an existing regular spreadsheet file, and refuses every other path before reading it', () => {
    const home = tempDir();
    const dataDir = tempDir();
    const configDir = tempDir();
    const files = new ImportFiles([dataDir, configDir]);
    const sheet = join(home, '11月発注.csv');
    writeFileSync(sheet, '注文番号,数量\n');
    const added = files.add(sheet);
    expect(added).toEqual({ fileId: expect.stringMatching(/^[0-9a-f-]{36}$/), fileName: '11月発注.csv', sizeBytes: 20 });

    // Not absolute, not there, not a regular file.
    expect(code(() => files.add('orders.csv'))).toBe('IMPORT_FILE_REFUSED');
    expect(code(() => files.add(join(home, 'missing.csv')))).toBe('FILE_NOT_FOUND');
    mkdirSync(join(home, 'folder.csv'));
    expect(code(() => files.add(join(home, 'folder.csv')))).toBe('IMPORT_FILE_REFUSED');
    if (process.platform !== 'win32') {
      execFileSync('mkfifo', [join(home, 'pipe.csv')]);
      expect(code(() => files.add(join(home, 'pipe.csv')))).toBe('IMPORT_FILE_REFUSED');
    }
    // Not a spreadsheet type.
    writeFileSync(join(home, 'store.key'), 'k');
    expect(code(() => files.add(join(home, 'store.key')))).toBe('IMPORT_UNSUPPORTED_FILE');
    // Nothing in the app's own folders, also not through a link or a path that climbs out and back in.
    writeFileSync(join(dataDir, 'backup.csv'), 'x');
    writeFileSync(join(configDir, 'keys.csv'), 'x');
    expect(code(() => files.add(join(dataDir, 'backup.csv')))).toBe('IMPORT_FILE_REFUSED');
    expect(code(() => files.add(join(configDir, 'keys.csv')))).toBe('IMPORT_FILE_REFUSED');
    expect(code(() => files.add(`${home}/../${dataDir.split('/').at(-1)}/backup.csv`))).toBe('IMPORT_FILE_REFUSED');
    symlinkSync(join(dataDir, 'backup.csv'), join(home, 'innocent.csv'));
    expect(code(() => files.add(join(home, 'innocent.csv')))).toBe('IMPORT_FILE_REFUSED');
    // A link to a file elsewhere is judged by (and read from) its target.
    symlinkSync(sheet, join(home, 'shortcut.csv'));
    const linked = files.add(join(home, 'shortcut.csv'));
    expect(files.read(linked.fileId).bytes.toString()).toBe('注文番号,数量\n');
  });
});
