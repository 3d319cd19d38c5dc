import { randomBytes } from 'node:crypto';
import { ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { mlKemParameters, requireMlKemAlgorithm, type MlKemAlgorithm } from './algorithms.js';
import {
  checkCiphertext,
  checkEncapsulationKeyLength,
  checkEncapsulationRandomness,
  checkMlKemPrivateKey,
  checkSeed,
  notAnEncapsulationKey,
} from './operation-checks.js';
import { MlKemPrivateKey, privateKeySeed } from './private-keys.js';
import type { EncapsulateOptions, Encapsulation, KemBackend, MlKemKeyPair } from './kem-backend.js';
import { assert } from '../errors.js';
import type { KEMPrepared } from '@noble/post-quantum/ml-kem.js';
import { expandedKeyCache } from './noble-expanded-keys.js';

/**
 * ML-KEM in portable JavaScript (@noble/post-quantum). The expanded decapsulation key (2400 or
 * 3168 bytes) is computed from the seed once per private key and kept in a WeakMap.
 */

const schemes = { 'ML-KEM-768': ml_kem768, 'ML-KEM-1024': ml_kem1024 } as const;

export function createNobleKemBackend(): KemBackend {
  const expand = expandedKeyCache<MlKemPrivateKey>((privateKey) => {
    const { secretKey, publicKey } = schemes[privateKey.algorithm].keygen(privateKeySeed(privateKey));
    return { secretKey, publicKey };
  });

  return {
    name: 'noble',
    supportsDeterministicEncapsulation: true,

    keygen(algorithm: MlKemAlgorithm, seed?: Uint8Array): MlKemKeyPair {
      const checkedAlgorithm = requireMlKemAlgorithm('algorithm', algorithm);
      const { seedBytes } = mlKemParameters[checkedAlgorithm];
      const keySeed = seed === undefined ? randomBytes(seedBytes) : checkSeed(checkedAlgorithm, seed);
      const privateKey = new MlKemPrivateKey(checkedAlgorithm, keySeed);
      return { publicKey: Uint8Array.from(expand(privateKey).publicKey), privateKey };
    },

    encapsulate(algorithm: MlKemAlgorithm, publicKey: Uint8Array, options?: EncapsulateOptions): Encapsulation {
      const checked = checkEncapsulationKeyLength(algorithm, publicKey);
      let prepared: KEMPrepared;
      try {
        // prepare() runs the FIPS 203 §7.2 modulus check and expands the matrix once.
        prepared = schemes[checked.algorithm].prepare(checked.publicKey);
      } catch {
        throw notAnEncapsulationKey(checked.algorithm);
      }
      try {
        const randomness = checkEncapsulationRandomness(checked.algorithm, options);
        const { cipherText, sharedSecret } = prepared.encapsulate(randomness);
        const parameters = mlKemParameters[checked.algorithm];
        assert(cipherText.length === parameters.ciphertextBytes, 'noble ciphertext length');
        assert(sharedSecret.length === parameters.sharedSecretBytes, 'noble shared secret length');
        return { ciphertext: cipherText, sharedSecret };
      } finally {
        prepared.clean();
      }
    },

    decapsulate(privateKey: MlKemPrivateKey, ciphertext: Uint8Array): Uint8Array {
      const key = checkMlKemPrivateKey(privateKey);
      const checkedCiphertext = checkCiphertext(key.algorithm, ciphertext);
      return schemes[key.algorithm].decapsulate(checkedCiphertext, expand(key).secretKey);
    },
  };
}
