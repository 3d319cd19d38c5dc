import crypto from 'node:crypto';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { assert, invalidArgument } from '../../errors.js';

/**
 * Encryption at rest for private-key seeds. A key-encryption key (KEK) is derived by scrypt from
 * the operator secret and the keystore's random salt; each seed is sealed with AES-256-GCM under
 * the KEK with a fresh 96-bit nonce and associated data naming the key, version and algorithm,
 * so a sealed seed moved to another record fails to open. A known constant sealed the same way
 * (the key check) lets `open` tell a wrong secret from a right one before it writes anything.
 *
 * Sealed layout: nonce (12 bytes) || ciphertext (as long as the plaintext) || GCM tag (16 bytes).
 */

export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

const nonceBytes = 12;
const tagBytes = 16;
export const saltBytes = 16;
const keyBytes = 32;
const scryptMemoryBytesMax = 1024 * 1024 * 1024;

const keyCheckPlaintext = new TextEncoder().encode('aurigraph keystore key check v1');
const keyCheckAssociatedData = new TextEncoder().encode('aurigraph-keystore/v1\u0000key-check');

/** The field names to report, e.g. `crypto.keystore.scryptN` for config or `kdf.N` for a header. */
export type ScryptFieldNames = Record<keyof ScryptParameters, string>;

export const configScryptFields: ScryptFieldNames = {
  N: 'crypto.keystore.scryptN',
  r: 'crypto.keystore.scryptR',
  p: 'crypto.keystore.scryptP',
};

/**
 * scrypt parameters, from config or from a keystore header. Bounded so a doctored header cannot
 * demand unbounded memory or time.
 */
export function checkScryptParameters(parameters: ScryptParameters, fields: ScryptFieldNames): ScryptParameters {
  const { N, r, p } = parameters;
  if (!Number.isSafeInteger(N) || N < 2 || N > 2 ** 22 || (N & (N - 1)) !== 0) {
    throw invalidArgument(fields.N, `must be a power of two from 2 to 2^22, got ${N}`);
  }
  if (!Number.isSafeInteger(r) || r < 1 || r > 32) throw invalidArgument(fields.r, `must be an integer from 1 to 32, got ${r}`);
  if (!Number.isSafeInteger(p) || p < 1 || p > 16) throw invalidArgument(fields.p, `must be an integer from 1 to 16, got ${p}`);
  if (128 * N * r > scryptMemoryBytesMax) {
    throw invalidArgument(fields.N, `N * r * 128 bytes must stay within 1 GiB, got ${128 * N * r} bytes`);
  }
  return { N, r, p };
}

export async function deriveKeyEncryptionKey(
  secret: Uint8Array,
  salt: Uint8Array,
  parameters: ScryptParameters,
): Promise<crypto.KeyObject> {
  assert(salt.length === saltBytes, 'keystore salt length');
  const derived = await scryptAsync(secret, salt, { ...parameters, dkLen: keyBytes, maxmem: scryptMemoryBytesMax + 1024 });
  try {
    return crypto.createSecretKey(derived);
  } finally {
    derived.fill(0);
  }
}

export function seal(keyEncryptionKey: crypto.KeyObject, plaintext: Uint8Array, associatedData: Uint8Array): Uint8Array {
  const nonce = crypto.randomBytes(nonceBytes);
  const cipher = crypto.createCipheriv('aes-256-gcm', keyEncryptionKey, nonce, { authTagLength: tagBytes });
  cipher.setAAD(associatedData);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const sealed = new Uint8Array(nonceBytes + ciphertext.length + tagBytes);
  sealed.set(nonce, 0);
  sealed.set(ciphertext, nonceBytes);
  sealed.set(cipher.getAuthTag(), nonceBytes + ciphertext.length);
  return sealed;
}

/** The plaintext, or undefined when the key, the associated data or the bytes are wrong. */
export function unseal(
  keyEncryptionKey: crypto.KeyObject,
  sealed: Uint8Array,
  associatedData: Uint8Array,
): Uint8Array | undefined {
  if (sealed.length < nonceBytes + tagBytes) return undefined;
  const nonce = sealed.subarray(0, nonceBytes);
  const ciphertext = sealed.subarray(nonceBytes, sealed.length - tagBytes);
  const tag = sealed.subarray(sealed.length - tagBytes);
  const decipher = crypto.createDecipheriv('aes-256-gcm', keyEncryptionKey, nonce, { authTagLength: tagBytes });
  decipher.setAAD(associatedData);
  decipher.setAuthTag(tag);
  try {
    return new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  } catch {
    return undefined;
  }
}

export function makeKeyCheck(keyEncryptionKey: crypto.KeyObject): Uint8Array {
  return seal(keyEncryptionKey, keyCheckPlaintext, keyCheckAssociatedData);
}

export function keyCheckPasses(keyEncryptionKey: crypto.KeyObject, keyCheck: Uint8Array): boolean {
  const plaintext = unseal(keyEncryptionKey, keyCheck, keyCheckAssociatedData);
  return plaintext !== undefined && Buffer.from(plaintext).equals(Buffer.from(keyCheckPlaintext));
}

/** Associated data binding a sealed seed to its record. */
export function seedAssociatedData(keyId: string, version: number, algorithm: string): Uint8Array {
  return new TextEncoder().encode(`aurigraph-keystore/v1\u0000seed\u0000${keyId}\u0000${version}\u0000${algorithm}`);
}
