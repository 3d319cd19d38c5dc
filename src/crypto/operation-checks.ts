import {
  isMlDsaAlgorithm,
  mlDsaContextBytesMax,
  mlDsaParameters,
  mlKemParameters,
  requireMlDsaAlgorithm,
  requireMlKemAlgorithm,
  type MlDsaAlgorithm,
  type MlKemAlgorithm,
} from './algorithms.js';
import { requireBytes, requireBytesAtMost, requireBytesOfLength } from './byte-checks.js';
import { invalidArgument } from '../errors.js';
import { MlDsaPrivateKey, MlKemPrivateKey } from './private-keys.js';
import type { SignOptions, VerifyOptions } from './signature-backend.js';
import type { EncapsulateOptions } from './kem-backend.js';

/**
 * Argument checks run by both backends before any cryptography, so the two fail the same way on
 * the same bad input. Order matters where several fields are wrong at once: the first field in
 * the operation's signature is reported.
 */

export function checkSeed(algorithm: MlDsaAlgorithm | MlKemAlgorithm, seed: unknown): Uint8Array {
  const { seedBytes } = isMlDsaAlgorithm(algorithm) ? mlDsaParameters[algorithm] : mlKemParameters[algorithm];
  return requireBytesOfLength('seed', seed, seedBytes, `${algorithm} private key seeds`);
}

export function checkMlDsaPrivateKey(privateKey: unknown): MlDsaPrivateKey {
  if (privateKey instanceof MlDsaPrivateKey) return privateKey;
  throw invalidArgument('privateKey', 'expected an MlDsaPrivateKey (construct one from its 32-byte seed)');
}

export function checkMlKemPrivateKey(privateKey: unknown): MlKemPrivateKey {
  if (privateKey instanceof MlKemPrivateKey) return privateKey;
  throw invalidArgument('privateKey', 'expected an MlKemPrivateKey (construct one from its 64-byte seed)');
}

export function checkContext(options: SignOptions | VerifyOptions | undefined): Uint8Array | undefined {
  if (options?.context === undefined) return undefined;
  return requireBytesAtMost('context', options.context, mlDsaContextBytesMax, 'ML-DSA context strings');
}

export interface CheckedVerifyArguments {
  algorithm: MlDsaAlgorithm;
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
  context: Uint8Array | undefined;
}

export function checkVerifyArguments(
  algorithm: unknown,
  publicKey: unknown,
  message: unknown,
  signature: unknown,
  options: VerifyOptions | undefined,
): CheckedVerifyArguments {
  const checkedAlgorithm = requireMlDsaAlgorithm('algorithm', algorithm);
  const parameters = mlDsaParameters[checkedAlgorithm];
  return {
    algorithm: checkedAlgorithm,
    publicKey: requireBytesOfLength('publicKey', publicKey, parameters.publicKeyBytes, `${checkedAlgorithm} public keys`),
    message: requireBytes('message', message),
    signature: requireBytesOfLength('signature', signature, parameters.signatureBytes, `${checkedAlgorithm} signatures`),
    context: checkContext(options),
  };
}

export function checkEncapsulationKeyLength(
  algorithm: unknown,
  publicKey: unknown,
): { algorithm: MlKemAlgorithm; publicKey: Uint8Array } {
  const checkedAlgorithm = requireMlKemAlgorithm('algorithm', algorithm);
  const { publicKeyBytes } = mlKemParameters[checkedAlgorithm];
  return {
    algorithm: checkedAlgorithm,
    publicKey: requireBytesOfLength('publicKey', publicKey, publicKeyBytes, `${checkedAlgorithm} encapsulation keys`),
  };
}

/** Checked after the key itself, so a bad key is reported as the key's fault whatever m is. */
export function checkEncapsulationRandomness(
  algorithm: MlKemAlgorithm,
  options: EncapsulateOptions | undefined,
): Uint8Array | undefined {
  if (options?.randomness === undefined) return undefined;
  const { encapsulationRandomnessBytes } = mlKemParameters[algorithm];
  return requireBytesOfLength(
    'randomness',
    options.randomness,
    encapsulationRandomnessBytes,
    'ML-KEM encapsulation messages (m)',
  );
}

export function checkCiphertext(algorithm: MlKemAlgorithm, ciphertext: unknown): Uint8Array {
  const { ciphertextBytes } = mlKemParameters[algorithm];
  return requireBytesOfLength('ciphertext', ciphertext, ciphertextBytes, `${algorithm} ciphertexts`);
}

export function notAnEncapsulationKey(algorithm: MlKemAlgorithm): Error {
  return invalidArgument(
    'publicKey',
    `not a valid ${algorithm} encapsulation key: a coefficient is not reduced modulo q (FIPS 203 §7.2 modulus check)`,
  );
}
