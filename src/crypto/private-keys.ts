import { inspect } from 'node:util';
import {
  mlDsaParameters,
  mlKemParameters,
  requireMlDsaAlgorithm,
  requireMlKemAlgorithm,
  type MlDsaAlgorithm,
  type MlKemAlgorithm,
} from './algorithms.js';
import { requireBytesOfLength } from './byte-checks.js';
import { invalidArgument } from '../errors.js';

/**
 * Private keys as their key-generation seeds: 32 bytes (ML-DSA ξ) or 64 bytes (ML-KEM d || z).
 * A seed is the smallest form either backend can expand, so it is what we store and exchange.
 *
 * The seed lives in a module-level WeakMap rather than on the object, so no property, toJSON,
 * util.inspect, structuredClone or console.log can reveal it. Only the backends in this folder
 * read it, through `privateKeySeed()`, which index.ts does not re-export.
 */

const seeds = new WeakMap<object, Uint8Array>();

export class MlDsaPrivateKey {
  readonly algorithm: MlDsaAlgorithm;

  constructor(algorithm: MlDsaAlgorithm, seed: Uint8Array) {
    this.algorithm = requireMlDsaAlgorithm('algorithm', algorithm);
    const { seedBytes } = mlDsaParameters[this.algorithm];
    requireBytesOfLength('seed', seed, seedBytes, `${this.algorithm} private key seeds`);
    seeds.set(this, Uint8Array.from(seed));
    Object.freeze(this);
  }

  toJSON(): { algorithm: MlDsaAlgorithm; seed: '[redacted]' } {
    return { algorithm: this.algorithm, seed: '[redacted]' };
  }

  [inspect.custom](): string {
    return `MlDsaPrivateKey { algorithm: '${this.algorithm}', seed: [redacted] }`;
  }

  toString(): string {
    return this[inspect.custom]();
  }
}

export class MlKemPrivateKey {
  readonly algorithm: MlKemAlgorithm;

  constructor(algorithm: MlKemAlgorithm, seed: Uint8Array) {
    this.algorithm = requireMlKemAlgorithm('algorithm', algorithm);
    const { seedBytes } = mlKemParameters[this.algorithm];
    requireBytesOfLength('seed', seed, seedBytes, `${this.algorithm} private key seeds`);
    seeds.set(this, Uint8Array.from(seed));
    Object.freeze(this);
  }

  toJSON(): { algorithm: MlKemAlgorithm; seed: '[redacted]' } {
    return { algorithm: this.algorithm, seed: '[redacted]' };
  }

  [inspect.custom](): string {
    return `MlKemPrivateKey { algorithm: '${this.algorithm}', seed: [redacted] }`;
  }

  toString(): string {
    return this[inspect.custom]();
  }
}

/**
 * The seed behind a private key, for the backends in src/crypto only. Returns the stored array
 * itself (no copy) because backends expand it once and cache the expansion; they never mutate it.
 */
export function privateKeySeed(privateKey: MlDsaPrivateKey | MlKemPrivateKey): Uint8Array {
  const seed = seeds.get(privateKey);
  if (seed === undefined) {
    throw invalidArgument('privateKey', 'expected an MlDsaPrivateKey or MlKemPrivateKey made by its constructor');
  }
  return seed;
}
