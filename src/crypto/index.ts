/**
 * The public surface of src/crypto, for CryptoService, the transaction pipeline and the shard
 * workers. Import from here rather than from individual files.
 */

export {
  mlDsaAlgorithms,
  mlKemAlgorithms,
  mlDsaParameters,
  mlKemParameters,
  mlDsaContextBytesMax,
  isMlDsaAlgorithm,
  isMlKemAlgorithm,
  requireMlDsaAlgorithm,
  requireMlKemAlgorithm,
  type BackendName,
  type MlDsaAlgorithm,
  type MlKemAlgorithm,
  type MlDsaParameters,
  type MlKemParameters,
} from './algorithms.js';
export { MlDsaPrivateKey, MlKemPrivateKey } from './private-keys.js';
export type { SignatureBackend, MlDsaKeyPair, SignOptions, VerifyOptions } from './signature-backend.js';
export type { KemBackend, MlKemKeyPair, Encapsulation, EncapsulateOptions } from './kem-backend.js';
export { createNobleSignatureBackend } from './noble-signatures.js';
export {
  createNativeSignatureBackend,
  nativePublicKeyCacheEntriesDefault,
  type NativeSignatureBackend,
  type NativeSignatureBackendOptions,
} from './native-signatures.js';
export { createNobleKemBackend } from './noble-kem.js';
export { createNativeKemBackend, type NativeKemBackendOptions } from './native-kem.js';
export { detectNativeSupport, type NativeSupport } from './native-support.js';
export { selectSignatureBackend, selectKemBackend, type BackendSelectionOptions } from './backend-selection.js';
export { transactionHash, transactionHashBytes } from './transaction-hash.js';
export { merkleRoot, merkleProof, verifyMerkleProof, merkleLeavesMax, type MerkleProof } from './merkle.js';
export {
  batchSignatureDomain,
  batchSigningMessage,
  signBatch,
  verifyBatch,
  verifyBatchRoot,
  type BatchSignature,
} from './batch-signature.js';
export { deriveKey, type DeriveKeyInput, type HkdfHash } from './hkdf.js';
export {
  openKeystore,
  keystorePath,
  keyIdPattern,
  Keystore,
  type KeystoreAlgorithm,
  type KeyVersionInfo,
  type KeyVersionStatus,
  type KeyDescription,
  type AuditRecord,
  type AuditOperation,
  type OpenKeystoreOptions,
} from './keystore/keystore.js';
export { readOperatorSecret } from './keystore/operator-secret.js';
export type { ScryptParameters } from './keystore/key-encryption.js';
