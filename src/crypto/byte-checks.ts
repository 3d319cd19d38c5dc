import { invalidArgument } from '../errors.js';

/**
 * Input checks shared by every crypto entry point: a wrong type or length becomes an
 * invalid_argument error that names the field and the length expected, so a client can fix the
 * request without reading our source.
 */

export function requireBytes(field: string, value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw invalidArgument(field, `expected bytes (Uint8Array), got ${value === null ? 'null' : typeof value}`);
}

/** `what` completes the sentence "<what> are N bytes", e.g. "ML-DSA-65 public keys". */
export function requireBytesOfLength(field: string, value: unknown, lengthBytes: number, what: string): Uint8Array {
  const bytes = requireBytes(field, value);
  if (bytes.length !== lengthBytes) {
    throw invalidArgument(field, `${what} are ${lengthBytes} bytes, got ${bytes.length}`);
  }
  return bytes;
}

export function requireBytesAtMost(field: string, value: unknown, lengthBytesMax: number, what: string): Uint8Array {
  const bytes = requireBytes(field, value);
  if (bytes.length > lengthBytesMax) {
    throw invalidArgument(field, `${what} are at most ${lengthBytesMax} bytes, got ${bytes.length}`);
  }
  return bytes;
}
