import { AurigraphError } from '../../errors.js';

/**
 * src/crypto names fields the TypeScript way (`keyId`, `publicKey`); clients know the proto's
 * wire names (`key_id`, `public_key`). Errors from the keystore and the backends pass through
 * here on their way out, so every status message and `aurigraph-field` trailer uses the name
 * the client actually sent.
 */

export type FieldRenames = Readonly<Record<string, string>>;

/** Core names → wire names that mean the same thing in every CryptoService request. */
export const coreToWireFields: FieldRenames = {
  keyId: 'key_id',
  publicKey: 'public_key',
  message: 'data',
  ikm: 'input_key_material',
  length: 'length_bytes',
};

/** The error with its field (and the "field: " prefix of its message) renamed; others unchanged. */
export function withWireField(error: unknown, renames: FieldRenames = coreToWireFields): unknown {
  if (!(error instanceof AurigraphError) || error.field === undefined) return error;
  const wireField = renames[error.field] ?? coreToWireFields[error.field];
  if (wireField === undefined) return error;
  const prefix = `${error.field}: `;
  const message = error.message.startsWith(prefix) ? `${wireField}: ${error.message.slice(prefix.length)}` : error.message;
  return new AurigraphError(error.kind, message, wireField);
}

/** Runs `operation` and renames the field of any error it throws. */
export function withWireFields<T>(operation: () => T, renames?: FieldRenames): T {
  try {
    return operation();
  } catch (error) {
    throw withWireField(error, renames);
  }
}
