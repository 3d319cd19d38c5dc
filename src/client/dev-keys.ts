/**
 * INSECURE development keys. The private keys below derive from seeds anyone can compute, so
 * they protect nothing: they exist so that a development node (config/genesis/dev.yaml), the
 * tests and the benchmarks have funded accounts to sign for out of the box.
 *
 *   account i    seed = SHA-256("aurigraph-dev-account-" + i)   ML-DSA-65, id = SHA-256(public key)
 *   submitter    seed = SHA-256("aurigraph-dev-batch-submitter") ML-DSA-65, registered as a
 *                BATCH_SUBMITTER key on every development account
 *   fee account  id   = SHA-256("aurigraph-dev-fee-account")    (no keys)
 *
 * A seed is the FIPS 204 key-generation input ξ, so both signature backends derive the same keys.
 */
import { createHash } from 'node:crypto';
import { MlDsaPrivateKey, type SignatureBackend } from '../crypto/index.js';
import { KeyAlgorithm, KeyRole } from '../generated/aurigraph.js';
import type { Genesis } from '../ledger/index.js';
import { keyIdOf, type SigningKey } from './transactions.js';

/** The development chain's id (config/genesis/dev.yaml). */
export const devChainId = 1;
/** Development accounts in config/genesis/dev.yaml. */
export const devAccountCount = 8;
/** Each development account's genesis balance. */
export const devAccountBalance = 1_000_000_000_000_000n;

export interface DevAccount extends SigningKey {
  index: number;
  /** SHA-256 of the public key, so the account's signing key certifies itself. */
  accountId: Uint8Array;
}

function sha256Text(text: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(text, 'utf8').digest());
}

export function devAccountSeed(index: number): Uint8Array {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`index: must be a non-negative integer, got ${index}`);
  return sha256Text(`aurigraph-dev-account-${index}`);
}

/** Development account `index` (any non-negative integer; genesis funds 0 to devAccountCount - 1). */
export function devAccount(index: number, backend: SignatureBackend): DevAccount {
  const seed = devAccountSeed(index);
  const { publicKey } = backend.keygen('ML-DSA-65', seed);
  return { index, privateKey: new MlDsaPrivateKey('ML-DSA-65', seed), publicKey, accountId: keyIdOf(publicKey) };
}

/** The development batch submitter, registered on every development account. */
export function devSubmitter(backend: SignatureBackend): SigningKey {
  const seed = sha256Text('aurigraph-dev-batch-submitter');
  const { publicKey } = backend.keygen('ML-DSA-65', seed);
  return { privateKey: new MlDsaPrivateKey('ML-DSA-65', seed), publicKey };
}

export const devFeeAccountId: Uint8Array = sha256Text('aurigraph-dev-fee-account');

/** The genesis config/genesis/dev.yaml holds: what a development node starts from. */
export function devGenesis(backend: SignatureBackend): Genesis {
  const submitter = devSubmitter(backend);
  return {
    chainId: devChainId,
    feeAccount: devFeeAccountId,
    allocations: Array.from({ length: devAccountCount }, (_, index) => {
      const account = devAccount(index, backend);
      return {
        accountId: account.accountId,
        balance: devAccountBalance,
        keys: [
          { role: KeyRole.ACCOUNT_SIGNING, algorithm: KeyAlgorithm.ML_DSA_65, publicKey: account.publicKey },
          { role: KeyRole.BATCH_SUBMITTER, algorithm: KeyAlgorithm.ML_DSA_65, publicKey: submitter.publicKey },
        ],
      };
    }),
  };
}
