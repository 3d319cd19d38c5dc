/**
 * The accounts a transfer workload signs for. Keys come from the published development seeds
 * (src/client/dev-keys.ts: account i's seed is SHA-256("aurigraph-dev-account-" + i), the batch
 * submitter's SHA-256("aurigraph-dev-batch-submitter")), so anyone can rebuild them: INSECURE,
 * for development nodes, tests and benchmarks only.
 *
 *   derivedAccountsGenesis(n)   a genesis of n such accounts, each with its ACCOUNT_SIGNING key
 *                               and the dev submitter as BATCH_SUBMITTER (for --accounts N)
 *   loadAccountsFrom(genesis)   the accounts of a genesis this workload can sign for: for
 *                               per-transaction signatures those whose ACCOUNT_SIGNING key is a
 *                               derived key; for batch signatures those trusting the dev submitter
 */
import { createHash } from 'node:crypto';
import { devAccountSeed, devChainId, devFeeAccountId, devSubmitter, keyIdOf } from '../../client/index.js';
import type { SignatureBackend } from '../../crypto/index.js';
import { AurigraphError, assert, invalidArgument } from '../../errors.js';
import { KeyAlgorithm, KeyRole } from '../../generated/aurigraph.js';
import type { Genesis } from '../../ledger/index.js';
import { accountIdBytes, seedBytes, type SignatureMode } from './workload-plan.js';

/** Genesis balance of each account of derivedAccountsGenesis: 10^12, so 10^7 accounts still fit in a u64 supply. */
export const derivedAccountBalance = 1_000_000_000_000n;

export interface LoadAccounts {
  readonly chainId: number;
  readonly feeAccount: Uint8Array;
  readonly count: number;
  /** count × 32 bytes. */
  readonly accountIds: Uint8Array;
  /** count × 32 bytes of key seeds for per-transaction signatures; null for batch-signed. */
  readonly accountSeeds: Uint8Array | null;
  readonly submitterSeed: Uint8Array;
  /** Sum of every genesis allocation: what the accounts below must always hold together. */
  readonly genesisTotal: bigint;
  /** Every genesis account and the fee account: the set whose balances sum to genesisTotal. */
  readonly balanceAccounts: readonly Uint8Array[];
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/**
 * The development batch submitter's seed (dev-keys.ts keeps it private; it is published there in
 * words). loadAccountsFrom checks that it gives the same public key as devSubmitter.
 */
export function devSubmitterSeed(): Uint8Array {
  return new Uint8Array(createHash('sha256').update('aurigraph-dev-batch-submitter', 'utf8').digest());
}

/** A genesis of `count` derived accounts (dev seeds 0..count-1), each holding `balance`. */
export function derivedAccountsGenesis(count: number, backend: SignatureBackend, balance: bigint = derivedAccountBalance): Genesis {
  if (!Number.isSafeInteger(count) || count < 2) throw invalidArgument('accounts', `must be a whole number of at least 2, got ${count}`);
  if (balance * BigInt(count) >= 1n << 64n) throw invalidArgument('accounts', `${count} accounts of ${balance} exceed a u64 total supply`);
  const submitterPublicKey = devSubmitter(backend).publicKey;
  return {
    chainId: devChainId,
    feeAccount: devFeeAccountId,
    allocations: Array.from({ length: count }, (_, index) => {
      const { publicKey } = backend.keygen('ML-DSA-65', devAccountSeed(index));
      return {
        accountId: keyIdOf(publicKey),
        balance,
        keys: [
          { role: KeyRole.ACCOUNT_SIGNING, algorithm: KeyAlgorithm.ML_DSA_65, publicKey },
          { role: KeyRole.BATCH_SUBMITTER, algorithm: KeyAlgorithm.ML_DSA_65, publicKey: submitterPublicKey },
        ],
      };
    }),
  };
}

/** The accounts of `genesis` this workload can sign for in `mode`; throws when fewer than 2. */
export function loadAccountsFrom(genesis: Genesis, mode: SignatureMode, backend: SignatureBackend): LoadAccounts {
  const submitterPublicKey = devSubmitter(backend).publicKey;
  const submitterSeed = devSubmitterSeed();
  assert(equalBytes(backend.keygen('ML-DSA-65', submitterSeed).publicKey, submitterPublicKey), 'the submitter seed here is dev-keys.ts\'s');
  const usable: Uint8Array[] = [];
  const seeds: Uint8Array[] = [];
  if (mode === 'batch-signed') {
    for (const allocation of genesis.allocations) {
      const trusts = (allocation.keys ?? []).some((key) => key.role === KeyRole.BATCH_SUBMITTER && key.algorithm === KeyAlgorithm.ML_DSA_65 && equalBytes(key.publicKey, submitterPublicKey));
      if (trusts) usable.push(allocation.accountId);
    }
  } else {
    // Derived keys are found by trying seeds 0, 1, 2, ... as far as the genesis has accounts.
    const byId = new Map(genesis.allocations.map((allocation) => [hex(allocation.accountId), allocation]));
    for (let index = 0; index < genesis.allocations.length; index++) {
      const seed = devAccountSeed(index);
      const { publicKey } = backend.keygen('ML-DSA-65', seed);
      const allocation = byId.get(hex(keyIdOf(publicKey)));
      if (allocation === undefined) continue;
      const registered = (allocation.keys ?? []).some((key) => key.role === KeyRole.ACCOUNT_SIGNING && key.algorithm === KeyAlgorithm.ML_DSA_65 && equalBytes(key.publicKey, publicKey));
      if (!registered) continue;
      usable.push(allocation.accountId);
      seeds.push(seed);
    }
  }
  if (usable.length < 2) {
    const need =
      mode === 'batch-signed'
        ? 'accounts that list the development batch submitter as a BATCH_SUBMITTER key'
        : 'accounts whose ACCOUNT_SIGNING key derives from the development seeds';
    throw new AurigraphError('failed_precondition', `the genesis has ${usable.length} ${need}; a transfer workload needs at least 2 (write one with --accounts N)`, 'genesis');
  }
  const accountIds = new Uint8Array(usable.length * accountIdBytes);
  usable.forEach((id, index) => accountIds.set(id, index * accountIdBytes));
  let accountSeeds: Uint8Array | null = null;
  if (mode === 'per-transaction') {
    accountSeeds = new Uint8Array(seeds.length * seedBytes);
    seeds.forEach((seed, index) => accountSeeds!.set(seed, index * seedBytes));
  }
  const balanceAccounts = genesis.allocations.map((allocation) => allocation.accountId);
  if (!balanceAccounts.some((id) => equalBytes(id, genesis.feeAccount))) balanceAccounts.push(genesis.feeAccount);
  return {
    chainId: genesis.chainId,
    feeAccount: genesis.feeAccount,
    count: usable.length,
    accountIds,
    accountSeeds,
    submitterSeed,
    genesisTotal: genesis.allocations.reduce((total, allocation) => total + allocation.balance, 0n),
    balanceAccounts,
  };
}

function equalBytes(left: Uint8Array, right: Uint8Array): boolean {
  return left.length === right.length && Buffer.compare(left, right) === 0;
}
