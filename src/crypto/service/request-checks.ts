import { AurigraphError, invalidArgument } from '../../errors.js';
import type { Keystore } from '../keystore/keystore.js';

/**
 * Checks of request fields that src/crypto cannot make because they are about the wire: the
 * proto's key id rule, version 0 meaning "current", required bytes, label and page bounds.
 * Every error names the field as the client wrote it (snake_case).
 */

/** The proto's rule (1 to 128 of [A-Za-z0-9._-]), starting with a letter or digit as the keystore requires. */
const wireKeyIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const labelBytesMax = 1024;

export function checkKeyId(field: string, keyId: string): string {
  if (keyId.length === 0) throw invalidArgument(field, 'is required: name a key id');
  if (!wireKeyIdPattern.test(keyId)) {
    throw invalidArgument(
      field,
      `key ids are 1 to 128 characters of letters, digits, '.', '_' and '-', starting with a letter or digit; got ${JSON.stringify(truncate(keyId))}`,
    );
  }
  return keyId;
}

/** The stored version a request names: its own number, or the current one for 0. */
export function resolveVersion(keystore: Keystore, keyId: string, version: number): number {
  return version === 0 ? keystore.getPublicKey(keyId).version : version;
}

export function checkNonEmpty(field: string, bytes: Uint8Array, what: string): Uint8Array {
  if (bytes.length === 0) throw invalidArgument(field, `${what} must be at least 1 byte, got 0`);
  return bytes;
}

export function checkLabel(label: string): string {
  const labelBytes = Buffer.byteLength(label, 'utf8');
  if (labelBytes > labelBytesMax) throw invalidArgument('label', `labels are at most ${labelBytesMax} bytes of UTF-8, got ${labelBytes}`);
  return label;
}

/** True when the keystore holds `keyId`; any error but "no such key" propagates. */
export function keyExists(keystore: Keystore, keyId: string): boolean {
  try {
    keystore.describeKey(keyId);
    return true;
  } catch (error) {
    if (error instanceof AurigraphError && error.kind === 'not_found' && error.field === 'keyId') return false;
    throw error;
  }
}

function truncate(text: string): string {
  return text.length > 140 ? `${text.slice(0, 140)}…` : text;
}
