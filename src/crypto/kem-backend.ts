import type { BackendName, MlKemAlgorithm } from './algorithms.js';
import type { MlKemPrivateKey } from './private-keys.js';

/**
 * The contract both ML-KEM backends meet. Encapsulation keys and ciphertexts are raw FIPS 203
 * encodings and private keys are 64-byte seeds (d || z), so a ciphertext made by one backend
 * decapsulates in the other to the same shared secret.
 *
 * Errors, the same in both backends: invalid_argument naming the field for a wrong length, and
 * for an encapsulation key that fails the FIPS 203 §7.2 modulus check (field `publicKey`).
 * A well-formed but wrong ciphertext is not an error: ML-KEM answers it with its implicit-
 * rejection secret, which differs from the sender's.
 */

export interface MlKemKeyPair {
  /** Raw FIPS 203 encapsulation key. */
  publicKey: Uint8Array;
  privateKey: MlKemPrivateKey;
}

export interface Encapsulation {
  ciphertext: Uint8Array;
  /** 32 bytes. */
  sharedSecret: Uint8Array;
}

export interface EncapsulateOptions {
  /**
   * The 32-byte message m of FIPS 203 ML-KEM.Encaps_internal, for known-answer tests. Only
   * backends with `supportsDeterministicEncapsulation` accept it; otherwise m is random.
   */
  randomness?: Uint8Array;
}

export interface KemBackend {
  readonly name: BackendName;
  readonly supportsDeterministicEncapsulation: boolean;
  /** A key pair from `seed` (64 bytes), or from a fresh random seed when it is absent. */
  keygen(algorithm: MlKemAlgorithm, seed?: Uint8Array): MlKemKeyPair;
  encapsulate(algorithm: MlKemAlgorithm, publicKey: Uint8Array, options?: EncapsulateOptions): Encapsulation;
  decapsulate(privateKey: MlKemPrivateKey, ciphertext: Uint8Array): Uint8Array;
}
