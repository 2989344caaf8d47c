import { createDecipheriv } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

/**
 * Reads an encrypted store the way someone holding the raw files and the key would, without SQLite: every
 * page of the database file and every frame of its WAL decrypted with node:crypto. SQLCipher 4 page
 * layout as the store uses it (main/store/database.ts: raw 256-bit key, so no key derivation): AES-256-CBC
 * over each page except its reserved tail, which starts with the page's 16-byte IV (then the HMAC-SHA512);
 * page 1 begins with the 16-byte salt, in clear, and is encrypted from byte 16 on.
 */
export interface RawPages {
  /** Decrypted pages of the database file, in file order. */
  file: Buffer[];
  /** Decrypted pages of every WAL frame, in log order (old versions included). */
  wal: Buffer[];
}

const RESERVE = 80; // 16-byte IV + 64-byte HMAC-SHA512, a multiple of the AES block already.
const WAL_HEADER = 32;
const FRAME_HEADER = 24;

function decryptPage(page: Buffer, pageNo: number, key: Buffer): Buffer {
  const size = page.length;
  const offset = pageNo === 1 ? 16 : 0;
  const iv = page.subarray(size - RESERVE, size - RESERVE + 16);
  const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(page.subarray(offset, size - RESERVE)), decipher.final()]);
  return pageNo === 1 ? Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), plain]) : plain;
}

export function decryptStoreFiles(dbPath: string, keyHex: string, pageSize: number): RawPages {
  const key = Buffer.from(keyHex, 'hex');
  const file = readFileSync(dbPath);
  const pages: Buffer[] = [];
  for (let start = 0, pageNo = 1; start + pageSize <= file.length; start += pageSize, pageNo += 1) {
    pages.push(decryptPage(file.subarray(start, start + pageSize), pageNo, key));
  }
  const first = pages[0];
  // The decrypted header must say what we assumed, or the search below would prove nothing.
  if (!first || first.readUInt16BE(16) !== (pageSize === 65536 ? 1 : pageSize) || first[20] !== RESERVE)
    throw new Error('page 1 did not decrypt to a SQLite header: wrong key, page size or reserve');
  const wal: Buffer[] = [];
  const walPath = `${dbPath}-wal`;
  if (existsSync(walPath)) {
    const log = readFileSync(walPath);
    for (let start = WAL_HEADER; start + FRAME_HEADER + pageSize <= log.length; start += FRAME_HEADER + pageSize) {
      const pageNo = log.readUInt32BE(start);
      wal.push(decryptPage(log.subarray(start + FRAME_HEADER, start + FRAME_HEADER + pageSize), pageNo, key));
    }
  }
  return { file: pages, wal };
}

/** Which of the values appear (UTF-8) in any decrypted page of the file or the WAL. */
export function valuesFound(pages: RawPages, values: readonly string[]): string[] {
  const all = Buffer.concat([...pages.file, ...pages.wal]);
  return values.filter((value) => all.includes(Buffer.from(value, 'utf8')));
}
