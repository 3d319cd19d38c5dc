import crypto from 'node:crypto';
import { mlKemParameters, requireMlKemAlgorithm, type MlKemAlgorithm } from './algorithms.js';
import { detectNativeSupport, nativeUnavailableError, type NativeSupport } from './native-support.js';
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
import { assert, invalidArgument } from '../errors.js';

/**
 * ML-KEM through OpenSSL 3.5 in node:crypto. OpenSSL performs the FIPS 203 §7.2 modulus check
 * when it imports a raw encapsulation key. node:crypto offers no way to pass the encapsulation
 * message m, so deterministic encapsulation is refused here.
 */

export interface NativeKemBackendOptions {
  /** For tests of the unavailable path; defaults to probing this runtime once. */
  support?: NativeSupport;
}

export function createNativeKemBackend(options: NativeKemBackendOptions = {}): KemBackend {
  const support = options.support ?? detectNativeSupport();
  if (!support.available) throw nativeUnavailableError(support);

  const privateKeys = new WeakMap<MlKemPrivateKey, crypto.KeyObject>();

  function privateKeyObject(privateKey: MlKemPrivateKey): crypto.KeyObject {
    let keyObject = privateKeys.get(privateKey);
    if (keyObject === undefined) {
      keyObject = crypto.createPrivateKey({
        key: Buffer.from(privateKeySeed(privateKey)),
        format: 'raw-seed',
        asymmetricKeyType: mlKemParameters[privateKey.algorithm].nodeKeyType,
      });
      privateKeys.set(privateKey, keyObject);
    }
    return keyObject;
  }

  return {
    name: 'native',
    supportsDeterministicEncapsulation: false,

    keygen(algorithm: MlKemAlgorithm, seed?: Uint8Array): MlKemKeyPair {
      const checkedAlgorithm = requireMlKemAlgorithm('algorithm', algorithm);
      const parameters = mlKemParameters[checkedAlgorithm];
      const keySeed = seed === undefined ? crypto.randomBytes(parameters.seedBytes) : checkSeed(checkedAlgorithm, seed);
      const privateKey = new MlKemPrivateKey(checkedAlgorithm, keySeed);
      const publicKey = crypto.createPublicKey(privateKeyObject(privateKey)).export({ format: 'raw-public' });
      assert(publicKey.length === parameters.publicKeyBytes, 'native encapsulation key length');
      return { publicKey: new Uint8Array(publicKey), privateKey };
    },

    encapsulate(algorithm: MlKemAlgorithm, publicKey: Uint8Array, options?: EncapsulateOptions): Encapsulation {
      const checked = checkEncapsulationKeyLength(algorithm, publicKey);
      let keyObject: crypto.KeyObject;
      try {
        keyObject = crypto.createPublicKey({
          key: Buffer.from(checked.publicKey),
          format: 'raw-public',
          asymmetricKeyType: mlKemParameters[checked.algorithm].nodeKeyType,
        });
      } catch {
        throw notAnEncapsulationKey(checked.algorithm);
      }
      if (checkEncapsulationRandomness(checked.algorithm, options) !== undefined) {
        throw invalidArgument(
          'randomness',
          'the native backend (OpenSSL through node:crypto) cannot take a caller-chosen encapsulation message; use the noble backend',
        );
      }
      const { ciphertext, sharedKey } = crypto.encapsulate(keyObject);
      const parameters = mlKemParameters[checked.algorithm];
      assert(ciphertext.length === parameters.ciphertextBytes, 'native ciphertext length');
      assert(sharedKey.length === parameters.sharedSecretBytes, 'native shared secret length');
      return { ciphertext: new Uint8Array(ciphertext), sharedSecret: new Uint8Array(sharedKey) };
    },

    decapsulate(privateKey: MlKemPrivateKey, ciphertext: Uint8Array): Uint8Array {
      const key = checkMlKemPrivateKey(privateKey);
      const checkedCiphertext = checkCiphertext(key.algorithm, ciphertext);
      return new Uint8Array(crypto.decapsulate(privateKeyObject(key), checkedCiphertext));
    },
  };
}
