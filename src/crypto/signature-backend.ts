import type { BackendName, MlDsaAlgorithm } from './algorithms.js';
import type { MlDsaPrivateKey } from './private-keys.js';

/**
 * The contract both ML-DSA backends (native OpenSSL, portable noble) meet. Keys cross the
 * boundary in raw FIPS 204 encodings and private keys as 32-byte seeds, so a key made by one
 * backend signs or verifies in the other.
 *
 * Errors, the same in both backends:
 * - invalid_argument naming the field when a public key, signature, seed or context has the
 *   wrong length or type (`publicKey: ML-DSA-65 public keys are 1952 bytes, got 31`);
 * - `verify` returns false (never throws) for every signature of the right length that does not
 *   verify: a bit flip, a malformed hint encoding, a norm violation, a different context or key.
 */

export interface MlDsaKeyPair {
  /** Raw FIPS 204 public key. */
  publicKey: Uint8Array;
  privateKey: MlDsaPrivateKey;
}

export interface SignOptions {
  /** FIPS 204 context string, at most 255 bytes; empty when absent. */
  context?: Uint8Array;
  /**
   * Deterministic signing (FIPS 204 rnd = 0). The default is hedged signing (fresh randomness
   * mixed with the key), which FIPS 204 recommends because it resists fault and side-channel
   * attacks. Only backends with `supportsDeterministicSigning` accept true; tests use it.
   */
  deterministic?: boolean;
}

export interface VerifyOptions {
  /** FIPS 204 context string the signature was made with, at most 255 bytes. */
  context?: Uint8Array;
}

export interface SignatureBackend {
  readonly name: BackendName;
  readonly supportsDeterministicSigning: boolean;
  /** A key pair from `seed` (32 bytes), or from a fresh random seed when it is absent. */
  keygen(algorithm: MlDsaAlgorithm, seed?: Uint8Array): MlDsaKeyPair;
  /** The raw FIPS 204 public key that belongs to `privateKey`. */
  publicKeyOf(privateKey: MlDsaPrivateKey): Uint8Array;
  sign(privateKey: MlDsaPrivateKey, message: Uint8Array, options?: SignOptions): Uint8Array;
  verify(
    algorithm: MlDsaAlgorithm,
    publicKey: Uint8Array,
    message: Uint8Array,
    signature: Uint8Array,
    options?: VerifyOptions,
  ): boolean;
}
