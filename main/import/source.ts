import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { AppError } from '../shared/errors';
import { DEFAULT_LIMITS, type ImportLimits } from './types';

export function tooLarge(fileName: string, limits: ImportLimits): AppError {
  return new AppError('IMPORT_TOO_LARGE', { file: fileName, limitMb: Math.round(limits.maxBytes / 1048576) });
}

/** Refuses a file over the size limit from its size alone, before any of it is read. */
export function checkFileSize(fileName: string, size: number, limits: ImportLimits = DEFAULT_LIMITS): void {
  if (size > limits.maxBytes) throw tooLarge(fileName, limits);
}

/**
 * Reads a file to import. Its size is checked on the open descriptor first (a 2 GB file is refused without
 * reading a byte of it), and at most the limit plus one byte is ever read: a file that grows after the
 * check is refused too.
 */
export function readImportFile(path: string, fileName: string, limits: ImportLimits = DEFAULT_LIMITS): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new AppError('FILE_NOT_FOUND', { file: fileName });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new AppError('FILE_NOT_FOUND', { file: fileName });
    checkFileSize(fileName, stat.size, limits);
    const bytes = Buffer.allocUnsafe(Math.min(stat.size, limits.maxBytes) + 1);
    let length = 0;
    while (length < bytes.length) {
      const n = readSync(fd, bytes, length, bytes.length - length, null);
      if (n === 0) break;
      length += n;
    }
    checkFileSize(fileName, length, limits);
    return bytes.subarray(0, length);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('FILE_NOT_FOUND', { file: fileName });
  } finally {
    closeSync(fd);
  }
}
