import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { invalidArgument } from '../errors.js';
import { requireBytes } from './byte-checks.js';

/**
 * HKDF (RFC 5869) with SHA-256 or SHA-512, for deriving symmetric keys from an ML-KEM shared
 * secret or another input keying material. An absent salt means HashLen zero bytes (RFC 5869
 * §2.2); an absent info means empty.
 */

export type HkdfHash = 'SHA-256' | 'SHA-512';

export interface DeriveKeyInput {
  hash: HkdfHash;
  /** Input keying material. */
  ikm: Uint8Array;
  salt?: Uint8Array;
  info?: Uint8Array;
  /** Output length in bytes: 1 .. 255 * HashLen (8160 for SHA-256, 16320 for SHA-512). */
  length: number;
}

const hashes = {
  'SHA-256': { function: sha256, outputBytes: 32 },
  'SHA-512': { function: sha512, outputBytes: 64 },
} as const;

export function deriveKey(input: DeriveKeyInput): Uint8Array {
  const hash = input.hash;
  if (hash !== 'SHA-256' && hash !== 'SHA-512') {
    throw invalidArgument('hash', `expected 'SHA-256' or 'SHA-512', got ${JSON.stringify(hash)}`);
  }
  const { function: hashFunction, outputBytes } = hashes[hash];
  const lengthMax = 255 * outputBytes;
  if (!Number.isSafeInteger(input.length) || input.length < 1 || input.length > lengthMax) {
    throw invalidArgument('length', `HKDF-${hash} output is 1 to ${lengthMax} bytes (255 * HashLen), got ${input.length}`);
  }
  const ikm = requireBytes('ikm', input.ikm);
  const salt = input.salt === undefined ? undefined : requireBytes('salt', input.salt);
  const info = input.info === undefined ? undefined : requireBytes('info', input.info);
  return hkdf(hashFunction, ikm, salt, info, input.length);
}
