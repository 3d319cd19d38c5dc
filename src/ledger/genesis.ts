/**
 * Genesis: the chain's constants and its first accounts, checked, and turned into block 0.
 *
 * The total supply (sum of allocations) must fit in a u64. Execution only moves units (fees go to
 * the fee account), so every balance stays at most the supply and no credit can overflow.
 * Genesis keys are taken as given: the operator may pre-register any ML-DSA keys, including
 * batch-submitter keys for accounts whose id is not a key hash. A fee account that has no
 * allocation is created by its first fee credit.
 */
import { invalidArgument } from '../errors.js';
import type { KeyAlgorithm, KeyRole } from '../generated/aurigraph.js';
import {
  type Account,
  type RegisteredPublicKey,
  isAccountKeyRole,
  keyAlgorithmName,
  keysPerAccountMax,
  signingPublicKeyBytes,
} from './account.js';
import { type BlockHeader, blockHash } from './block-header.js';
import { accountIdBytes, bytesEqual, copyBytes, hex, idKey, isU64, sha256, u64Max, zeroHash } from './bytes.js';
import { nextStateRoot, writeSetDigest } from './state-root.js';
import type { ChainParameters } from './types.js';

export interface GenesisKey {
  role: KeyRole;
  algorithm: KeyAlgorithm;
  publicKey: Uint8Array;
}

export interface GenesisAllocation {
  /** 32 bytes. */
  accountId: Uint8Array;
  /** u64. */
  balance: bigint;
  keys?: GenesisKey[];
}

export interface Genesis {
  /** u32: the network id transactions sign over. */
  chainId: number;
  /** 32 bytes. */
  feeAccount: Uint8Array;
  allocations: GenesisAllocation[];
}

export interface GenesisState {
  chain: ChainParameters;
  /** The genesis accounts, sorted by id. */
  accounts: Account[];
  registeredKeys: RegisteredPublicKey[];
  /** Block 0: its transactions root is `documentDigest`. */
  header: BlockHeader;
  blockHash: Uint8Array;
  /** SHA-256 of the canonical genesis document (below). */
  documentDigest: Uint8Array;
}

/** Bounds a genesis to what one LMDB transaction writes comfortably. */
export const genesisAllocationsMax = 1 << 20;

const genesisDomain = new TextEncoder().encode('aurigraph/genesis/v1');

/** Checks `genesis` (errors name the field) and computes the state and block 0 it defines. */
export function genesisState(genesis: Genesis): GenesisState {
  checkGenesis(genesis);
  const registeredKeys = new Map<string, RegisteredPublicKey>();
  const accounts: Account[] = genesis.allocations
    .map((allocation) => ({
      id: copyBytes(allocation.accountId),
      balance: allocation.balance,
      nonce: 0n,
      keys: (allocation.keys ?? []).map((key) => {
        const keyId = sha256(key.publicKey);
        registeredKeys.set(hex(keyId), { keyId, publicKey: copyBytes(key.publicKey) });
        return { keyId, role: key.role, algorithm: key.algorithm, registeredAtHeight: 0n };
      }),
    }))
    .sort((left, right) => compareKeys(idKey(left.id), idKey(right.id)));
  const documentDigest = genesisDocumentDigest(genesis, accounts);
  const header: BlockHeader = {
    height: 0n,
    parentHash: zeroHash,
    stateRoot: nextStateRoot(zeroHash, writeSetDigest(accounts)),
    transactionsRoot: documentDigest,
    timestampMs: 0n,
    raftTerm: 0n,
    raftIndex: 0n,
    transactionCount: 0,
  };
  return {
    chain: { chainId: genesis.chainId, feeAccount: copyBytes(genesis.feeAccount) },
    accounts,
    registeredKeys: [...registeredKeys.keys()].sort().map((id) => registeredKeys.get(id)!),
    header,
    blockHash: blockHash(header),
    documentDigest,
  };
}

function checkGenesis(genesis: Genesis): void {
  if (typeof genesis !== 'object' || genesis === null) throw invalidArgument('genesis', 'expected an object');
  if (!Number.isInteger(genesis.chainId) || genesis.chainId < 0 || genesis.chainId > 0xffffffff) {
    throw invalidArgument('genesis.chainId', `must be an unsigned 32-bit integer, got ${String(genesis.chainId)}`);
  }
  checkId('genesis.feeAccount', genesis.feeAccount);
  if (!Array.isArray(genesis.allocations)) throw invalidArgument('genesis.allocations', 'expected a list of allocations');
  if (genesis.allocations.length > genesisAllocationsMax) {
    throw invalidArgument('genesis.allocations', `at most ${genesisAllocationsMax} allocations, got ${genesis.allocations.length}`);
  }
  const seen = new Map<string, number>();
  let supply = 0n;
  genesis.allocations.forEach((allocation, index) => {
    const field = `genesis.allocations[${index}]`;
    checkId(`${field}.accountId`, allocation.accountId);
    const key = idKey(allocation.accountId);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw invalidArgument(`${field}.accountId`, `account ${hex(allocation.accountId)} is already allocated by genesis.allocations[${earlier}]`);
    }
    seen.set(key, index);
    if (!isU64(allocation.balance)) throw invalidArgument(`${field}.balance`, `must be a u64 (bigint in [0, 2^64 - 1]), got ${String(allocation.balance)}`);
    supply += allocation.balance;
    checkKeys(`${field}.keys`, allocation.keys ?? []);
  });
  if (supply > u64Max) {
    throw invalidArgument('genesis.allocations', `the total supply ${supply} exceeds 2^64 - 1 (${u64Max}); lower the balances`);
  }
}

function checkKeys(field: string, keys: readonly GenesisKey[]): void {
  if (!Array.isArray(keys)) throw invalidArgument(field, 'expected a list of keys');
  if (keys.length > keysPerAccountMax) throw invalidArgument(field, `an account holds at most ${keysPerAccountMax} keys, got ${keys.length}`);
  keys.forEach((key, index) => {
    if (!isAccountKeyRole(key.role)) throw invalidArgument(`${field}[${index}].role`, `must be ACCOUNT_SIGNING or BATCH_SUBMITTER, got ${key.role}`);
    const publicKeyBytes = signingPublicKeyBytes(key.algorithm);
    if (publicKeyBytes === undefined) {
      throw invalidArgument(`${field}[${index}].algorithm`, `must be ML_DSA_44, ML_DSA_65 or ML_DSA_87, got ${keyAlgorithmName(key.algorithm)}`);
    }
    if (!(key.publicKey instanceof Uint8Array) || key.publicKey.length !== publicKeyBytes) {
      throw invalidArgument(
        `${field}[${index}].publicKey`,
        `a ${keyAlgorithmName(key.algorithm)} public key is ${publicKeyBytes} bytes, got ${key.publicKey instanceof Uint8Array ? key.publicKey.length : 'no bytes'}`,
      );
    }
    for (let earlier = 0; earlier < index; earlier += 1) {
      if (bytesEqual(keys[earlier]!.publicKey, key.publicKey)) throw invalidArgument(`${field}[${index}].publicKey`, `repeats ${field}[${earlier}]`);
    }
  });
}

function checkId(field: string, id: unknown): void {
  if (!(id instanceof Uint8Array) || id.length !== accountIdBytes) {
    throw invalidArgument(field, `must be ${accountIdBytes} bytes, got ${id instanceof Uint8Array ? id.length : 'no bytes'}`);
  }
}

/**
 * SHA-256 over "aurigraph/genesis/v1" || chain id (u32 LE) || fee account (32) || allocation
 * count (u32 LE) || per allocation, sorted by id: id (32) || balance (u64 LE) || key count (u8)
 * || per key: role (u8) || algorithm (u8) || public key length (u16 LE) || public key.
 * Allocation order in the document does not matter; key order does (it is registration order).
 */
function genesisDocumentDigest(genesis: Genesis, sortedAccounts: readonly Account[]): Uint8Array {
  const byKey = new Map(genesis.allocations.map((allocation) => [idKey(allocation.accountId), allocation]));
  const parts: Uint8Array[] = [genesisDomain, u32(genesis.chainId), genesis.feeAccount, u32(sortedAccounts.length)];
  for (const account of sortedAccounts) {
    const allocation = byKey.get(idKey(account.id))!;
    const keys = allocation.keys ?? [];
    const head = new Uint8Array(accountIdBytes + 9);
    head.set(account.id, 0);
    new DataView(head.buffer).setBigUint64(accountIdBytes, allocation.balance, true);
    head[accountIdBytes + 8] = keys.length;
    parts.push(head);
    for (const key of keys) {
      const keyHead = new Uint8Array(4);
      keyHead[0] = key.role;
      keyHead[1] = key.algorithm;
      new DataView(keyHead.buffer).setUint16(2, key.publicKey.length, true);
      parts.push(keyHead, key.publicKey);
    }
  }
  return sha256(Buffer.concat(parts));
}

function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
}

function compareKeys(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
