import {
  DecapsulateResponse,
  EncapsulateResponse,
  type DecapsulateRequest,
  type EncapsulateRequest,
} from '../../generated/aurigraph.js';
import { failedPrecondition, invalidArgument } from '../../errors.js';
import { isMlKemAlgorithm } from '../algorithms.js';
import { checkKeyId, resolveVersion } from './request-checks.js';
import type { CryptoServiceContext } from './service-context.js';
import { mlKemAlgorithmFromWire } from './wire-algorithms.js';
import { withWireFields } from './wire-errors.js';

/**
 * Encapsulate and Decapsulate (ML-KEM). Only the current version of a stored key is encapsulated
 * to (KeyVersionState: a previous version "verifies and decapsulates only"); any non-retired
 * version decapsulates. A ciphertext of the wrong length is INVALID_ARGUMENT naming `ciphertext`;
 * one of the right length made for another key yields ML-KEM's implicit-rejection secret, which
 * simply differs from the sender's. The private key never leaves the keystore: Decapsulate
 * returns the shared secret alone.
 */

/** A non-empty `public_key` wins over `key_id` (crypto_service.proto, EncapsulateRequest). */
export function encapsulate(context: CryptoServiceContext, request: EncapsulateRequest): EncapsulateResponse {
  if (request.publicKey.length > 0) {
    const algorithm = mlKemAlgorithmFromWire('algorithm', request.algorithm);
    const { ciphertext, sharedSecret } = withWireFields(() => context.kemBackend.encapsulate(algorithm, request.publicKey));
    return EncapsulateResponse.create({ ciphertext, sharedSecret, version: 0 });
  }
  if (request.keyId.length === 0) {
    throw invalidArgument('key_id', 'set key_id (a stored key) or public_key and algorithm (a raw key) to encapsulate to');
  }
  const keyId = checkKeyId('key_id', request.keyId);
  return withWireFields(() => {
    const stored = context.keystore.getPublicKey(keyId, request.version === 0 ? undefined : request.version);
    if (!isMlKemAlgorithm(stored.algorithm)) {
      throw failedPrecondition(`key "${keyId}" is an ${stored.algorithm} key; only ML-KEM keys take encapsulations`, 'key_id');
    }
    if (stored.status === 'retired') {
      throw failedPrecondition(`version ${stored.version} of key "${keyId}" is retired and can no longer be used`, 'version');
    }
    if (stored.status === 'superseded') {
      const current = context.keystore.getPublicKey(keyId).version;
      throw failedPrecondition(
        `version ${stored.version} of key "${keyId}" was superseded by version ${current}; encapsulate to the current version (version 0 or ${current})`,
        'version',
      );
    }
    const { ciphertext, sharedSecret } = context.kemBackend.encapsulate(stored.algorithm, stored.publicKey);
    return EncapsulateResponse.create({ ciphertext, sharedSecret, version: stored.version });
  });
}

export function decapsulate(context: CryptoServiceContext, request: DecapsulateRequest): DecapsulateResponse {
  const keyId = checkKeyId('key_id', request.keyId);
  return withWireFields(() => {
    const { keystore } = context;
    const version = resolveVersion(keystore, keyId, request.version);
    return DecapsulateResponse.create({ sharedSecret: keystore.decapsulate(keyId, version, request.ciphertext) });
  });
}
