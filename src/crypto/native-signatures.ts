import crypto from 'node:crypto';
import { mlDsaParameters, requireMlDsaAlgorithm, type MlDsaAlgorithm } from './algorithms.js';
import { BoundedCache } from './bounded-cache.js';
import { requireBytes } from './byte-checks.js';
import { detectNativeSupport, nativeUnavailableError, type NativeSupport } from './native-support.js';
import { checkContext, checkMlDsaPrivateKey, checkSeed, checkVerifyArguments } from './operation-checks.js';
import { MlDsaPrivateKey, privateKeySeed } from './private-keys.js';
import type { MlDsaKeyPair, SignatureBackend, SignOptions, VerifyOptions } from './signature-backend.js';
import { assert, invalidArgument } from '../errors.js';

/**
 * ML-DSA through OpenSSL 3.5 in node:crypto. Raw FIPS 204 public keys become KeyObjects; because
 * a submitter's key verifies many transactions in a row, those KeyObjects are kept in a bounded
 * LRU cache keyed by the key bytes (a raw key's length already identifies its parameter set, so
 * keys of different algorithms cannot collide). BENCHMARKS.md has the import cost it saves.
 *
 * OpenSSL signs hedged only through this API, so `deterministic: true` is refused.
 */

export interface NativeSignatureBackendOptions {
  /**
   * Public-key KeyObjects kept for repeated verification; default 1024. OpenSSL keeps about
   * 19 KB per imported ML-DSA-87 key (measured as RSS growth over 4,096 imports), so the default
   * costs up to about 19 MB per backend, and each shard worker has its own backend.
   */
  publicKeyCacheEntriesMax?: number;
  /** For tests of the unavailable path; defaults to probing this runtime once. */
  support?: NativeSupport;
}

export interface NativeSignatureBackend extends SignatureBackend {
  /** How many public keys are cached now (for tests and metrics). */
  readonly publicKeyCacheSize: number;
}

export const nativePublicKeyCacheEntriesDefault = 1024;

export function createNativeSignatureBackend(options: NativeSignatureBackendOptions = {}): NativeSignatureBackend {
  const support = options.support ?? detectNativeSupport();
  if (!support.available) throw nativeUnavailableError(support);

  const publicKeys = new BoundedCache<string, crypto.KeyObject>(
    options.publicKeyCacheEntriesMax ?? nativePublicKeyCacheEntriesDefault,
  );
  const privateKeys = new WeakMap<MlDsaPrivateKey, crypto.KeyObject>();

  function privateKeyObject(privateKey: MlDsaPrivateKey): crypto.KeyObject {
    let keyObject = privateKeys.get(privateKey);
    if (keyObject === undefined) {
      keyObject = crypto.createPrivateKey({
        key: Buffer.from(privateKeySeed(privateKey)),
        format: 'raw-seed',
        asymmetricKeyType: mlDsaParameters[privateKey.algorithm].nodeKeyType,
      });
      privateKeys.set(privateKey, keyObject);
    }
    return keyObject;
  }

  function publicKeyObject(algorithm: MlDsaAlgorithm, publicKey: Uint8Array): crypto.KeyObject | undefined {
    const cacheKey = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('latin1');
    let keyObject = publicKeys.get(cacheKey);
    if (keyObject === undefined) {
      try {
        keyObject = crypto.createPublicKey({
          key: Buffer.from(publicKey),
          format: 'raw-public',
          asymmetricKeyType: mlDsaParameters[algorithm].nodeKeyType,
        });
      } catch {
        // Every byte string of the right length decodes as an ML-DSA public key, so OpenSSL
        // refusing one is unexpected; it still cannot verify anything.
        return undefined;
      }
      publicKeys.set(cacheKey, keyObject);
    }
    return keyObject;
  }

  function publicKeyOf(privateKey: MlDsaPrivateKey): Uint8Array {
    const key = checkMlDsaPrivateKey(privateKey);
    const publicKey = crypto.createPublicKey(privateKeyObject(key)).export({ format: 'raw-public' });
    assert(publicKey.length === mlDsaParameters[key.algorithm].publicKeyBytes, 'native public key length');
    return new Uint8Array(publicKey);
  }

  return {
    name: 'native',
    supportsDeterministicSigning: false,

    get publicKeyCacheSize(): number {
      return publicKeys.size;
    },

    keygen(algorithm: MlDsaAlgorithm, seed?: Uint8Array): MlDsaKeyPair {
      const checkedAlgorithm = requireMlDsaAlgorithm('algorithm', algorithm);
      const { seedBytes } = mlDsaParameters[checkedAlgorithm];
      const keySeed = seed === undefined ? crypto.randomBytes(seedBytes) : checkSeed(checkedAlgorithm, seed);
      const privateKey = new MlDsaPrivateKey(checkedAlgorithm, keySeed);
      return { publicKey: publicKeyOf(privateKey), privateKey };
    },

    publicKeyOf,

    sign(privateKey: MlDsaPrivateKey, message: Uint8Array, options?: SignOptions): Uint8Array {
      const key = checkMlDsaPrivateKey(privateKey);
      const checkedMessage = requireBytes('message', message);
      const context = checkContext(options);
      if (options?.deterministic === true) {
        throw invalidArgument(
          'deterministic',
          'the native backend (OpenSSL through node:crypto) signs hedged only; use the noble backend for deterministic signatures',
        );
      }
      const signature = crypto.sign(null, checkedMessage, {
        key: privateKeyObject(key),
        ...(context === undefined ? {} : { context }),
      });
      assert(signature.length === mlDsaParameters[key.algorithm].signatureBytes, 'native signature length');
      return new Uint8Array(signature.buffer, signature.byteOffset, signature.byteLength);
    },

    verify(
      algorithm: MlDsaAlgorithm,
      publicKey: Uint8Array,
      message: Uint8Array,
      signature: Uint8Array,
      options?: VerifyOptions,
    ): boolean {
      const checked = checkVerifyArguments(algorithm, publicKey, message, signature, options);
      const keyObject = publicKeyObject(checked.algorithm, checked.publicKey);
      if (keyObject === undefined) return false;
      try {
        return crypto.verify(
          null,
          checked.message,
          { key: keyObject, ...(checked.context === undefined ? {} : { context: checked.context }) },
          checked.signature,
        );
      } catch {
        // Lengths and context were checked above; OpenSSL refusing the body is a failed check.
        return false;
      }
    },
  };
}
