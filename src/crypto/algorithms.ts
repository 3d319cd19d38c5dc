import { invalidArgument } from '../errors.js';

/**
 * The post-quantum parameter sets this node speaks, with the byte lengths of their raw FIPS 204 /
 * FIPS 203 encodings. Every length check in src/crypto reads from these tables.
 */

export const mlDsaAlgorithms = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'] as const;
export type MlDsaAlgorithm = (typeof mlDsaAlgorithms)[number];

export const mlKemAlgorithms = ['ML-KEM-768', 'ML-KEM-1024'] as const;
export type MlKemAlgorithm = (typeof mlKemAlgorithms)[number];

export type BackendName = 'native' | 'noble';

export interface MlDsaParameters {
  /** Raw FIPS 204 public key (pkEncode). */
  publicKeyBytes: number;
  /** Raw FIPS 204 signature (sigEncode). */
  signatureBytes: number;
  /** The key-generation seed ξ that both backends expand into the same key pair. */
  seedBytes: number;
  /** The asymmetricKeyType name in node:crypto. */
  nodeKeyType: 'ml-dsa-44' | 'ml-dsa-65' | 'ml-dsa-87';
}

export interface MlKemParameters {
  /** Raw FIPS 203 encapsulation key (ek). */
  publicKeyBytes: number;
  ciphertextBytes: number;
  /** The key-generation seed d || z. */
  seedBytes: number;
  sharedSecretBytes: number;
  /** The caller-supplied message m of deterministic encapsulation. */
  encapsulationRandomnessBytes: number;
  nodeKeyType: 'ml-kem-768' | 'ml-kem-1024';
}

export const mlDsaParameters: Readonly<Record<MlDsaAlgorithm, Readonly<MlDsaParameters>>> = {
  'ML-DSA-44': { publicKeyBytes: 1312, signatureBytes: 2420, seedBytes: 32, nodeKeyType: 'ml-dsa-44' },
  'ML-DSA-65': { publicKeyBytes: 1952, signatureBytes: 3309, seedBytes: 32, nodeKeyType: 'ml-dsa-65' },
  'ML-DSA-87': { publicKeyBytes: 2592, signatureBytes: 4627, seedBytes: 32, nodeKeyType: 'ml-dsa-87' },
};

export const mlKemParameters: Readonly<Record<MlKemAlgorithm, Readonly<MlKemParameters>>> = {
  'ML-KEM-768': {
    publicKeyBytes: 1184,
    ciphertextBytes: 1088,
    seedBytes: 64,
    sharedSecretBytes: 32,
    encapsulationRandomnessBytes: 32,
    nodeKeyType: 'ml-kem-768',
  },
  'ML-KEM-1024': {
    publicKeyBytes: 1568,
    ciphertextBytes: 1568,
    seedBytes: 64,
    sharedSecretBytes: 32,
    encapsulationRandomnessBytes: 32,
    nodeKeyType: 'ml-kem-1024',
  },
};

/** FIPS 204 §5.2: the context string is at most 255 bytes. */
export const mlDsaContextBytesMax = 255;

export function isMlDsaAlgorithm(value: unknown): value is MlDsaAlgorithm {
  return typeof value === 'string' && (mlDsaAlgorithms as readonly string[]).includes(value);
}

export function isMlKemAlgorithm(value: unknown): value is MlKemAlgorithm {
  return typeof value === 'string' && (mlKemAlgorithms as readonly string[]).includes(value);
}

export function requireMlDsaAlgorithm(field: string, value: unknown): MlDsaAlgorithm {
  if (isMlDsaAlgorithm(value)) return value;
  throw invalidArgument(field, `expected one of ${mlDsaAlgorithms.join(', ')}, got ${describe(value)}`);
}

export function requireMlKemAlgorithm(field: string, value: unknown): MlKemAlgorithm {
  if (isMlKemAlgorithm(value)) return value;
  throw invalidArgument(field, `expected one of ${mlKemAlgorithms.join(', ')}, got ${describe(value)}`);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}
