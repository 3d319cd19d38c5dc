import { DeriveKeyResponse, type DeriveKeyRequest } from '../../generated/aurigraph.js';
import { deriveKey as hkdfDeriveKey } from '../hkdf.js';
import { checkNonEmpty } from './request-checks.js';
import { hkdfHashFromWire } from './wire-algorithms.js';
import { withWireFields } from './wire-errors.js';

/**
 * DeriveKey: HKDF (RFC 5869) over the request's bytes only; nothing stored is read. An empty
 * salt is HashLen zero bytes and an empty info is empty, as RFC 5869 defines them.
 */
export function deriveKey(request: DeriveKeyRequest): DeriveKeyResponse {
  const hash = hkdfHashFromWire('hash', request.hash);
  const inputKeyMaterial = checkNonEmpty('input_key_material', request.inputKeyMaterial, 'input key material');
  const derivedKey = withWireFields(() =>
    hkdfDeriveKey({
      hash,
      ikm: inputKeyMaterial,
      ...(request.salt.length === 0 ? {} : { salt: request.salt }),
      ...(request.info.length === 0 ? {} : { info: request.info }),
      length: request.lengthBytes,
    }),
  );
  return DeriveKeyResponse.create({ derivedKey });
}
