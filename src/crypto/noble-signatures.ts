import { randomBytes } from 'node:crypto';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { mlDsaParameters, requireMlDsaAlgorithm, type MlDsaAlgorithm } from './algorithms.js';
import { checkContext, checkMlDsaPrivateKey, checkSeed, checkVerifyArguments } from './operation-checks.js';
import { requireBytes } from './byte-checks.js';
import { MlDsaPrivateKey, privateKeySeed } from './private-keys.js';
import type { MlDsaKeyPair, SignatureBackend, SignOptions, VerifyOptions } from './signature-backend.js';
import { assert } from '../errors.js';
import { expandedKeyCache } from './noble-expanded-keys.js';

/**
 * ML-DSA in portable JavaScript (@noble/post-quantum). Runs anywhere; several times slower than
 * OpenSSL (see BENCHMARKS.md). noble's sign takes the expanded FIPS 204 secret key (2560..4896
 * bytes), so each private key's expansion is computed once and kept beside it in a WeakMap.
 */

const schemes = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const;

export function createNobleSignatureBackend(): SignatureBackend {
  const expand = expandedKeyCache<MlDsaPrivateKey>((privateKey) => {
    const { secretKey, publicKey } = schemes[privateKey.algorithm].keygen(privateKeySeed(privateKey));
    return { secretKey, publicKey };
  });

  return {
    name: 'noble',
    supportsDeterministicSigning: true,

    keygen(algorithm: MlDsaAlgorithm, seed?: Uint8Array): MlDsaKeyPair {
      const checkedAlgorithm = requireMlDsaAlgorithm('algorithm', algorithm);
      const keySeed = seed === undefined ? randomBytes(mlDsaParameters[checkedAlgorithm].seedBytes) : checkSeed(checkedAlgorithm, seed);
      const privateKey = new MlDsaPrivateKey(checkedAlgorithm, keySeed);
      return { publicKey: Uint8Array.from(expand(privateKey).publicKey), privateKey };
    },

    publicKeyOf(privateKey: MlDsaPrivateKey): Uint8Array {
      return Uint8Array.from(expand(checkMlDsaPrivateKey(privateKey)).publicKey);
    },

    sign(privateKey: MlDsaPrivateKey, message: Uint8Array, options?: SignOptions): Uint8Array {
      const key = checkMlDsaPrivateKey(privateKey);
      const checkedMessage = requireBytes('message', message);
      const context = checkContext(options);
      const signature = schemes[key.algorithm].sign(checkedMessage, expand(key).secretKey, {
        ...(context === undefined ? {} : { context }),
        ...(options?.deterministic === true ? { extraEntropy: false as const } : {}),
      });
      assert(signature.length === mlDsaParameters[key.algorithm].signatureBytes, 'noble signature length');
      return signature;
    },

    verify(
      algorithm: MlDsaAlgorithm,
      publicKey: Uint8Array,
      message: Uint8Array,
      signature: Uint8Array,
      options?: VerifyOptions,
    ): boolean {
      const checked = checkVerifyArguments(algorithm, publicKey, message, signature, options);
      try {
        return schemes[checked.algorithm].verify(
          checked.signature,
          checked.message,
          checked.publicKey,
          checked.context === undefined ? undefined : { context: checked.context },
        );
      } catch {
        // Lengths and context were checked above, so anything noble rejects here is a malformed
        // signature body; the contract is false, not an exception.
        return false;
      }
    },
  };
}
