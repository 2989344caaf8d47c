import { basename, resolve } from 'node:path';
import { readImportFile } from '../import/source';
import type { ReadResult } from '../import/types';
import { HeaderRow, ImportEncoding } from '../shared/contract';
import type { EncodingOption } from '../shared/encodings';
import { AppError } from '../shared/errors';
import type { TFunction } from '../shared/i18n';

/** Options shared by `import` and `reimport`, parsed with the same schemas as the wizard's IPC input. */
export interface FileOptions {
  encoding: string;
  headerRow?: string;
}

export function parseFileOptions(options: FileOptions): { encoding: EncodingOption; headerRow?: number } {
  const encoding = ImportEncoding.safeParse(options.encoding);
  if (!encoding.success) throw new AppError('INVALID_INPUT', { option: '--encoding' });
  if (options.headerRow === undefined) return { encoding: encoding.data };
  const headerRow = HeaderRow.safeParse(/^\s*\d+\s*$/.test(options.headerRow) ? Number(options.headerRow) : Number.NaN);
  if (!headerRow.success) throw new AppError('INVALID_INPUT', { option: '--header-row' });
  return { encoding: encoding.data, headerRow: headerRow.data };
}

/** The file named on the command line: its name and bytes (its size checked before it is read). */
export function readCliFile(file: string): { fileName: string; bytes: Buffer } {
  const path = resolve(file);
  const fileName = basename(path);
  return { fileName, bytes: readImportFile(path, fileName) };
}

/** How a text file was read (encoding, delimiter), as the import summary shows it; null for workbooks. */
export function textFacts(t: TFunction, facts: Pick<ReadResult, 'encoding' | 'delimiter'>): string | null {
  if (!facts.encoding || !facts.delimiter) return null;
  return t('import.doneText', {
    encoding: t(`import.encodingOption.${facts.encoding}`),
    delimiter: t(`import.delimiterOption.${facts.delimiter}`),
  });
}
