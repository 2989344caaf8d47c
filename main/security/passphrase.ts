import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * The idle lock's passphrase, kept as a salted scrypt hash (never the passphrase). N = 2^15, r = 8, p = 1 is
 * the cost OWASP lists for scrypt (32 MiB, ~0.1 s here): slow enough to make guessing a stolen hash
 * expensive, quick enough for an unlock. The parameters are stored with the hash so they can grow later.
 */
export interface PassphraseHash {
  kdf: 'scrypt';
  n: number;
  r: number;
  p: number;
  /** base64 */
  salt: string;
  /** base64 */
  hash: string;
}

export const SCRYPT_COST = { n: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(passphrase: string, salt: Buffer, cost: { n: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem above 128 * N * r (32 MiB at the default cost), which Node's default would refuse.
    scrypt(
      passphrase.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { N: cost.n, r: cost.r, p: cost.p, maxmem: 256 * cost.n * cost.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

export async function hashPassphrase(passphrase: string, cost: { n: number; r: number; p: number } = SCRYPT_COST): Promise<PassphraseHash> {
  const salt = randomBytes(16);
  const hash = await derive(passphrase, salt, cost);
  return { kdf: 'scrypt', ...cost, salt: salt.toString('base64'), hash: hash.toString('base64') };
}

/** Constant-time comparison of the derived key with the stored one. */
export async function verifyPassphrase(passphrase: string, stored: PassphraseHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(passphrase, Buffer.from(stored.salt, 'base64'), stored);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
