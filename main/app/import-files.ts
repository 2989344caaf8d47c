import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { EncodingOption } from '../import/reader';
import { readSpreadsheet } from '../import/reader';
import { checkFileSize, readImportFile } from '../import/source';
import type { ReadResult } from '../import/types';
import { AppError } from '../shared/errors';

export const IMPORTABLE_EXTENSIONS = ['.xlsx', '.xlsm', '.xls', '.csv', '.tsv', '.txt'] as const;

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

  add(path: string): { fileId: string; fileName: string; sizeBytes: number } {
    const fileName = basename(path);
    if (!(IMPORTABLE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase()))
      throw new AppError('IMPORT_UNSUPPORTED_FILE', { file: fileName });
    let sizeBytes: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) throw new Error('not a file');
      sizeBytes = stat.size;
    } catch {
      throw new AppError('FILE_NOT_FOUND', { file: fileName });
    }
    // Refused when picked, from its size alone: nothing of a huge file is ever read into memory.
    checkFileSize(fileName, sizeBytes);
    // One file at a time in the wizard: drop what an earlier pick kept in memory.
    this.files.clear();
    const fileId = randomUUID();
    this.files.set(fileId, { path, fileName, sizeBytes, cache: null });
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

  forget(fileId: string): void {
    this.files.delete(fileId);
  }
}
