import {
  SignDataResponse,
  VerifySignatureResponse,
  type SignDataRequest,
  type VerifySignatureRequest,
} from '../../generated/aurigraph.js';
import { assert, failedPrecondition, invalidArgument } from '../../errors.js';
import { isMlDsaAlgorithm } from '../algorithms.js';
import { checkKeyId } from './request-checks.js';
import type { CryptoServiceContext } from './service-context.js';
import { algorithmToWire, mlDsaAlgorithmFromWire } from './wire-algorithms.js';
import { withWireFields } from './wire-errors.js';

/**
 * SignData and VerifySignature. Signing is hedged (FIPS 204's default), so two signatures of the
 * same data differ and both verify. A signature of the right length that does not verify is
 * `valid: false`, not an error; a wrong length is INVALID_ARGUMENT naming `signature`.
 */

export function signData(context: CryptoServiceContext, request: SignDataRequest): SignDataResponse {
  const keyId = checkKeyId('key_id', request.keyId);
  return withWireFields(() => {
    const { keystore } = context;
    const current = keystore.getPublicKey(keyId);
    if (!isMlDsaAlgorithm(current.algorithm)) {
      throw failedPrecondition(`key "${keyId}" is an ${current.algorithm} key; only ML-DSA keys sign`, 'key_id');
    }
    const signed = keystore.sign(keyId, request.data, optionsWithContext(request.context));
    assert(signed.version === current.version, 'the keystore signs with the version it reports as current');
    return SignDataResponse.create({
      signature: signed.signature,
      keyId,
      version: signed.version,
      algorithm: algorithmToWire(current.algorithm),
    });
  });
}

/** A non-empty `public_key` wins over `key_id` (crypto_service.proto, VerifySignatureRequest). */
export function verifySignature(context: CryptoServiceContext, request: VerifySignatureRequest): VerifySignatureResponse {
  return request.publicKey.length > 0 ? verifyWithPublicKey(context, request) : verifyWithStoredKey(context, request);
}

function verifyWithPublicKey(context: CryptoServiceContext, request: VerifySignatureRequest): VerifySignatureResponse {
  const algorithm = mlDsaAlgorithmFromWire('algorithm', request.algorithm);
  const valid = withWireFields(() =>
    context.signatureBackend.verify(algorithm, request.publicKey, request.data, request.signature, optionsWithContext(request.context)),
  );
  return VerifySignatureResponse.create({ valid, version: 0, algorithm: algorithmToWire(algorithm) });
}

function verifyWithStoredKey(context: CryptoServiceContext, request: VerifySignatureRequest): VerifySignatureResponse {
  if (request.keyId.length === 0) {
    throw invalidArgument('key_id', 'set key_id (a stored key) or public_key and algorithm (a raw key) to verify with');
  }
  const keyId = checkKeyId('key_id', request.keyId);
  return withWireFields(() => {
    const { keystore } = context;
    const stored = keystore.getPublicKey(keyId, request.version === 0 ? undefined : request.version);
    if (!isMlDsaAlgorithm(stored.algorithm)) {
      throw failedPrecondition(`key "${keyId}" is an ${stored.algorithm} key; only ML-DSA keys verify`, 'key_id');
    }
    const valid = keystore.verify(keyId, stored.version, request.data, request.signature, optionsWithContext(request.context));
    return VerifySignatureResponse.create({ valid, version: stored.version, algorithm: algorithmToWire(stored.algorithm) });
  });
}

/** An empty context is no context (FIPS 204 treats them alike); longer than 255 bytes is the backend's error. */
function optionsWithContext(context: Uint8Array): { context?: Uint8Array } {
  return context.length === 0 ? {} : { context };
}
