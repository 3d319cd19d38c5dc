/**
 * The account model. An account is its balance, its next nonce, and the keys registered for it.
 * A key is held as its id (SHA-256 of the public key), role, algorithm and the height that
 * registered it; the public key bytes themselves live once per key id in the store's public-key
 * database (see account-codec.ts for why).
 */
import { KeyAlgorithm, KeyRole } from '../generated/aurigraph.js';
import { mlDsaParameters } from '../crypto/index.js';

/** A registered key, as the account record holds it. */
export interface AccountKey {
  /** SHA-256 of the public key, 32 bytes. */
  keyId: Uint8Array;
  role: KeyRole;
  algorithm: KeyAlgorithm;
  /** Height of the block whose REGISTER_KEY added the key; 0 for genesis keys. */
  registeredAtHeight: bigint;
}

/**
 * One account. Execution mutates these in its per-block overlay; an AccountReader returns a new
 * object on every read, owned by the caller.
 */
export interface Account {
  /** 32 bytes. */
  id: Uint8Array;
  /** Spendable units, u64. */
  balance: bigint;
  /** The nonce the account's next transaction must carry, u64. */
  nonce: bigint;
  /** Registration order, oldest first; at most `keysPerAccountMax`. */
  keys: AccountKey[];
}

/** A key with its public key, as the store's readers return it. */
export interface AccountKeyWithPublicKey extends AccountKey {
  publicKey: Uint8Array;
}

/** An account with its keys' public keys joined in: what GetAccount and signature checks read. */
export interface AccountView {
  id: Uint8Array;
  balance: bigint;
  nonce: bigint;
  keys: AccountKeyWithPublicKey[];
}

/** A public key that a block (or genesis) registered, for the store's public-key database. */
export interface RegisteredPublicKey {
  keyId: Uint8Array;
  publicKey: Uint8Array;
}

/**
 * A bound on keys per account, so an account record has a bounded size (24 + 16 × 48 bytes) and a
 * REGISTER_KEY's duplicate check a bounded cost. A REGISTER_KEY beyond it FAILS as KEY_REJECTED.
 */
export const keysPerAccountMax = 16;

/** Public key length of each signature algorithm an on-ledger key may use; undefined for others. */
export function signingPublicKeyBytes(algorithm: number): number | undefined {
  switch (algorithm) {
    case KeyAlgorithm.ML_DSA_44:
      return mlDsaParameters['ML-DSA-44'].publicKeyBytes;
    case KeyAlgorithm.ML_DSA_65:
      return mlDsaParameters['ML-DSA-65'].publicKeyBytes;
    case KeyAlgorithm.ML_DSA_87:
      return mlDsaParameters['ML-DSA-87'].publicKeyBytes;
    default:
      return undefined;
  }
}

export function isAccountKeyRole(role: number): role is KeyRole {
  return role === KeyRole.ACCOUNT_SIGNING || role === KeyRole.BATCH_SUBMITTER;
}

export function keyAlgorithmName(algorithm: number): string {
  const entry = Object.entries(KeyAlgorithm).find(([, value]) => value === algorithm);
  return entry ? entry[0] : `KeyAlgorithm ${algorithm}`;
}

export function keyRoleName(role: number): string {
  const entry = Object.entries(KeyRole).find(([, value]) => value === role);
  return entry ? entry[0] : `KeyRole ${role}`;
}
