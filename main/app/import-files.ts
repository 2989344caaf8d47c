import { randomUUID } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, relative, sep } from 'node:path';
import type { EncodingOption } from '../import/reader';
import { readSpreadsheet } from '../import/reader';
import { checkFileSize, readImportFile } from '../import/source';
import type { ReadResult } from '../import/types';
import { AppError } from '../shared/errors';

export const IMPORTABLE_EXTENSIONS = ['.xlsx', '.xlsm', '.xls', '.csv', '.tsv', '.txt'] as const;

/** Whether `path` is `dir` or inside it (both resolved; a folder that does not exist holds nothing). */
function isInside(path: string, dir: string): boolean {
  let realDir: string;
  try {
    realDir = realpathSync(dir);
  } catch {
    return false;
  }
  const rel = relative(realDir, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

interface OpenFile {
  path: string;
  fileName: string;
  sizeBytes: number;
  /** The last read of the file (by encoding choice), kept while the wizard previews and imports it. */
  cache: { encoding: EncodingOption; bytes: Buffer; read: ReadResult } | null;
}

/**
 * Files staff opened for import, by random id. Only spreadsheet types are accepted; a file is read once
 * per encoding choice and the parsed rows are reused between the mapping preview and the import.
 */
export class ImportFiles {
  private readonly files = new Map<string, OpenFile>();

  /**
   * @param privateDirs the app's own folders (store, keys, backups): nothing in them is ever read for import,
   *   whoever names it.
   */
  constructor(private readonly privateDirs: readonly string[] = []) {}

  /**
   * Registers a file the OS handed over (dialog, drop, "Open with") and returns its id. Accepted: an absolute
   * path to an existing regular file (a link is followed and judged by its target) of a spreadsheet type,
   * outside the app's own folders. Anything else is refused before a byte is read.
   */
  add(path: string): { fileId: string; fileName: string; sizeBytes: number } {
    const fileName = basename(path);
    if (!(IMPORTABLE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase()))
      throw new AppError('IMPORT_UNSUPPORTED_FILE', { file: fileName });
    if (!isAbsolute(path) || path.includes('\0')) throw new AppError('IMPORT_FILE_REFUSED', { file: fileName });
    let real: string;
    let sizeBytes: number;
    try {
      real = realpathSync(path);
      const stat = statSync(real);
      if (!stat.isFile()) throw new AppError('IMPORT_FILE_REFUSED', { file: fileName });
      sizeBytes = stat.size;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('FILE_NOT_FOUND', { file: fileName });
    }
    if (this.privateDirs.some((dir) => isInside(real, dir))) throw new AppError('IMPORT_FILE_REFUSED', { file: fileName });
    // Refused when picked, from its size alone: nothing of a huge file is ever read into memory.
    checkFileSize(fileName, sizeBytes);
    // One file at a time in the wizard: drop what an earlier pick kept in memory.
    this.files.clear();
    const fileId = randomUUID();
    // The resolved path: what was checked is what is read.
    this.files.set(fileId, { path: real, fileName, sizeBytes, cache: null });
    return { fileId, fileName, sizeBytes };
  }

  /** Reads (or reuses) the file's rows for an encoding choice. */
  read(fileId: string, encoding: EncodingOption = 'auto'): { fileName: string; bytes: Buffer; read: ReadResult } {
    const file = this.files.get(fileId);
    if (!file) throw new AppError('IMPORT_FILE_GONE', {});
    if (file.cache?.encoding === encoding) return { fileName: file.fileName, bytes: file.cache.bytes, read: file.cache.read };
    const bytes = readImportFile(file.path, file.fileName);
    const read = readSpreadsheet(file.fileName, bytes, { encoding });
    file.cache = { encoding, bytes, read };
    return { fileName: file.fileName, bytes, read };
  }

  /**
   * What an import in the worker thread needs: the file's path, and what a preview already read of it for this
   * encoding (the worker reuses those rows and bytes instead of reading the file again). The rows are handed
   * over, not kept: the worker has its own copy, and main's may go while it imports (a 100,000-line workbook's
   * rows are a few hundred MB). A later preview or import reads the file again.
   */
  handOver(
    fileId: string,
    encoding: EncodingOption = 'auto',
  ): { fileName: string; path: string; cached: { bytes: Buffer; read: ReadResult } | null } {
    const file = this.files.get(fileId);
    if (!file) throw new AppError('IMPORT_FILE_GONE', {});
    const cached = file.cache?.encoding === encoding ? { bytes: file.cache.bytes, read: file.cache.read } : null;
    file.cache = null;
    return { fileName: file.fileName, path: file.path, cached };
  }

  forget(fileId: string): void {
    this.files.delete(fileId);
  }
}
