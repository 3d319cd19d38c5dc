import crypto from 'node:crypto';
import { failedPrecondition, type AurigraphError } from '../errors.js';
import {
  mlDsaAlgorithms,
  mlDsaParameters,
  mlKemAlgorithms,
  mlKemParameters,
  type MlDsaParameters,
  type MlKemParameters,
} from './algorithms.js';

/**
 * Whether this runtime's node:crypto has OpenSSL's ML-DSA and ML-KEM with raw key import
 * (Node.js 24.7+ built against OpenSSL 3.5+). Probed once per process by doing the operations
 * the native backends need, rather than by parsing version strings, because distributions build
 * Node.js against different OpenSSL versions.
 */

export interface NativeSupport {
  available: boolean;
  /** node:crypto key types whose probe failed, e.g. 'ml-dsa-65'; empty when available. */
  missing: string[];
  /** e.g. "Node.js v24.21.0 with OpenSSL 3.5.8", for error messages. */
  runtime: string;
}

let detected: NativeSupport | undefined;

export function detectNativeSupport(): NativeSupport {
  detected ??= probeNativeSupport();
  return detected;
}

export function probeNativeSupport(): NativeSupport {
  const missing: string[] = [];
  for (const algorithm of mlDsaAlgorithms) {
    const { nodeKeyType, seedBytes } = mlDsaParameters[algorithm];
    if (!probe(() => probeSignature(nodeKeyType, seedBytes))) missing.push(nodeKeyType);
  }
  for (const algorithm of mlKemAlgorithms) {
    const { nodeKeyType, seedBytes } = mlKemParameters[algorithm];
    if (!probe(() => probeKem(nodeKeyType, seedBytes))) missing.push(nodeKeyType);
  }
  return {
    available: missing.length === 0,
    missing,
    runtime: `Node.js ${process.version} with OpenSSL ${process.versions.openssl ?? 'unknown'}`,
  };
}

export function nativeUnavailableError(support: NativeSupport): AurigraphError {
  return failedPrecondition(
    `the native backend needs ML-DSA and ML-KEM in node:crypto (Node.js 24.7+ built with OpenSSL 3.5+); ` +
      `this runtime is ${support.runtime} and lacks ${support.missing.join(', ')}; ` +
      `set crypto.backend to 'auto' or 'noble'`,
    'crypto.backend',
  );
}

function probe(operation: () => boolean): boolean {
  try {
    return operation();
  } catch {
    return false;
  }
}

function probeSignature(nodeKeyType: MlDsaParameters['nodeKeyType'], seedBytes: number): boolean {
  const privateKey = crypto.createPrivateKey({
    key: Buffer.alloc(seedBytes, 1),
    format: 'raw-seed',
    asymmetricKeyType: nodeKeyType,
  });
  const publicKey = crypto.createPublicKey({
    key: crypto.createPublicKey(privateKey).export({ format: 'raw-public' }),
    format: 'raw-public',
    asymmetricKeyType: nodeKeyType,
  });
  const message = Buffer.from('aurigraph native probe');
  const context = Buffer.from('probe');
  const signature = crypto.sign(null, message, { key: privateKey, context });
  return crypto.verify(null, message, { key: publicKey, context }, signature);
}

function probeKem(nodeKeyType: MlKemParameters['nodeKeyType'], seedBytes: number): boolean {
  if (typeof crypto.encapsulate !== 'function' || typeof crypto.decapsulate !== 'function') return false;
  const privateKey = crypto.createPrivateKey({
    key: Buffer.alloc(seedBytes, 1),
    format: 'raw-seed',
    asymmetricKeyType: nodeKeyType,
  });
  const publicKey = crypto.createPublicKey({
    key: crypto.createPublicKey(privateKey).export({ format: 'raw-public' }),
    format: 'raw-public',
    asymmetricKeyType: nodeKeyType,
  });
  const { ciphertext, sharedKey } = crypto.encapsulate(publicKey);
  return crypto.decapsulate(privateKey, ciphertext).equals(sharedKey);
}
