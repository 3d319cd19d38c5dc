/**
 * The state root: a SHA-256 chain over every block's write set (docs/pipeline.md).
 *
 *   root_h = SHA-256("aurigraph/state/v1" || root_{h-1} || SHA-256(write set of block h))
 *
 * The write set lists every account the block changed, sorted by id, 88 bytes each:
 *   id (32) || balance (u64 LE) || nonce (u64 LE) || keys digest (32, account-codec.ts)
 * Genesis is block 0, chained from 32 zero bytes. The root commits to the whole state history at
 * O(changes) per block, and replicas that applied the same log agree on it bit for bit.
 */
import { assert } from '../errors.js';
import type { Account } from './account.js';
import { accountKeysDigest } from './account-codec.js';
import { accountIdBytes, hashBytes, sha256 } from './bytes.js';

export const stateRootDomain: Uint8Array = new TextEncoder().encode('aurigraph/state/v1');
export const writeSetEntryBytes = accountIdBytes + 8 + 8 + hashBytes;

/** SHA-256 of the write set; `accounts` must be sorted by id, each id once. */
export function writeSetDigest(accounts: readonly Account[]): Uint8Array {
  const bytes = new Uint8Array(accounts.length * writeSetEntryBytes);
  const view = new DataView(bytes.buffer);
  accounts.forEach((account, index) => {
    const offset = index * writeSetEntryBytes;
    bytes.set(account.id, offset);
    if (index > 0) {
      assert(compareIds(bytes, offset - writeSetEntryBytes, offset) < 0, `write set is sorted by id, each id once (entry ${index})`);
    }
    view.setBigUint64(offset + accountIdBytes, account.balance, true);
    view.setBigUint64(offset + accountIdBytes + 8, account.nonce, true);
    bytes.set(accountKeysDigest(account.keys), offset + accountIdBytes + 16);
  });
  return sha256(bytes);
}

export function nextStateRoot(parentStateRoot: Uint8Array, digestOfWriteSet: Uint8Array): Uint8Array {
  assert(parentStateRoot.length === hashBytes && digestOfWriteSet.length === hashBytes, 'state root inputs are 32-byte hashes');
  const input = new Uint8Array(stateRootDomain.length + 2 * hashBytes);
  input.set(stateRootDomain, 0);
  input.set(parentStateRoot, stateRootDomain.length);
  input.set(digestOfWriteSet, stateRootDomain.length + hashBytes);
  return sha256(input);
}

function compareIds(bytes: Uint8Array, left: number, right: number): number {
  for (let index = 0; index < accountIdBytes; index += 1) {
    const difference = bytes[left + index]! - bytes[right + index]!;
    if (difference !== 0) return difference;
  }
  return 0;
}
