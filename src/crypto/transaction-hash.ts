import crypto from 'node:crypto';
import { requireBytes } from './byte-checks.js';

/**
 * A transaction's identity: SHA-256 over its canonical bytes. The transaction format (and so what
 * "canonical" means) belongs to the ledger; this module only hashes the bytes it is given.
 */

export const transactionHashBytes = 32;

export function transactionHash(canonicalTransactionBytes: Uint8Array): Uint8Array {
  const bytes = requireBytes('canonicalTransactionBytes', canonicalTransactionBytes);
  // Copied out of the (possibly pooled) Buffer so the hash owns its memory and can be transferred.
  return new Uint8Array(crypto.hash('sha256', bytes, 'buffer'));
}
