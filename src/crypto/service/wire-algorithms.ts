import { HkdfHash as WireHkdfHash, KeyAlgorithm, KeyVersionState } from '../../generated/aurigraph.js';
import { invalidArgument } from '../../errors.js';
import { isMlDsaAlgorithm, isMlKemAlgorithm, type MlDsaAlgorithm, type MlKemAlgorithm } from '../algorithms.js';
import type { HkdfHash } from '../hkdf.js';
import type { KeystoreAlgorithm, KeyVersionStatus } from '../keystore/keystore.js';

/**
 * The wire enums of crypto_service.proto and common.proto, translated to and from the names
 * src/crypto uses. A value the wire carries but this table lacks (0, or a number from a newer
 * client) is an invalid_argument error naming the request field.
 */

const algorithmOfWire = new Map<number, KeystoreAlgorithm>([
  [KeyAlgorithm.ML_DSA_44, 'ML-DSA-44'],
  [KeyAlgorithm.ML_DSA_65, 'ML-DSA-65'],
  [KeyAlgorithm.ML_DSA_87, 'ML-DSA-87'],
  [KeyAlgorithm.ML_KEM_768, 'ML-KEM-768'],
  [KeyAlgorithm.ML_KEM_1024, 'ML-KEM-1024'],
]);

const wireOfAlgorithm: Record<KeystoreAlgorithm, KeyAlgorithm> = {
  'ML-DSA-44': KeyAlgorithm.ML_DSA_44,
  'ML-DSA-65': KeyAlgorithm.ML_DSA_65,
  'ML-DSA-87': KeyAlgorithm.ML_DSA_87,
  'ML-KEM-768': KeyAlgorithm.ML_KEM_768,
  'ML-KEM-1024': KeyAlgorithm.ML_KEM_1024,
};

const wireOfStatus: Record<KeyVersionStatus, KeyVersionState> = {
  active: KeyVersionState.KEY_VERSION_CURRENT,
  superseded: KeyVersionState.KEY_VERSION_PREVIOUS,
  retired: KeyVersionState.KEY_VERSION_RETIRED,
};

const hashOfWire = new Map<number, HkdfHash>([
  [WireHkdfHash.HKDF_SHA_256, 'SHA-256'],
  [WireHkdfHash.HKDF_SHA_512, 'SHA-512'],
]);

export function algorithmFromWire(field: string, value: number): KeystoreAlgorithm {
  const algorithm = algorithmOfWire.get(value);
  if (algorithm === undefined) {
    throw invalidArgument(field, `expected one of ML_DSA_44, ML_DSA_65, ML_DSA_87, ML_KEM_768, ML_KEM_1024, got ${describeEnum(KeyAlgorithm, value)}`);
  }
  return algorithm;
}

export function mlDsaAlgorithmFromWire(field: string, value: number): MlDsaAlgorithm {
  const algorithm = algorithmOfWire.get(value);
  if (!isMlDsaAlgorithm(algorithm)) {
    throw invalidArgument(field, `signatures need ML_DSA_44, ML_DSA_65 or ML_DSA_87, got ${describeEnum(KeyAlgorithm, value)}`);
  }
  return algorithm;
}

export function mlKemAlgorithmFromWire(field: string, value: number): MlKemAlgorithm {
  const algorithm = algorithmOfWire.get(value);
  if (!isMlKemAlgorithm(algorithm)) {
    throw invalidArgument(field, `key encapsulation needs ML_KEM_768 or ML_KEM_1024, got ${describeEnum(KeyAlgorithm, value)}`);
  }
  return algorithm;
}

export function algorithmToWire(algorithm: KeystoreAlgorithm): KeyAlgorithm {
  return wireOfAlgorithm[algorithm];
}

export function versionStateToWire(status: KeyVersionStatus): KeyVersionState {
  return wireOfStatus[status];
}

export function hkdfHashFromWire(field: string, value: number): HkdfHash {
  const hash = hashOfWire.get(value);
  if (hash === undefined) {
    throw invalidArgument(field, `expected HKDF_SHA_256 or HKDF_SHA_512, got ${describeEnum(WireHkdfHash, value)}`);
  }
  return hash;
}

/** "ML_KEM_768 (4)" for a known value, "99" for one this version does not know. */
function describeEnum(enumeration: Record<string, number>, value: number): string {
  const name = Object.keys(enumeration).find((key) => enumeration[key] === value);
  return name === undefined ? String(value) : `${name} (${value})`;
}
