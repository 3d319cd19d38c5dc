import crypto from 'node:crypto';
import { assert, invalidArgument } from '../errors.js';
import { requireBytes } from './byte-checks.js';
import { transactionHashBytes } from './transaction-hash.js';

/**
 * The Merkle tree over a batch's transaction hashes, as in RFC 6962 / RFC 9162 §2.1:
 *   leaf = SHA-256(0x00 || transactionHash)      node = SHA-256(0x01 || left || right)
 * The prefixes keep a leaf from ever being read as an inner node (second-preimage attacks).
 *
 * An odd node at the end of a level is promoted unchanged to the next level, never duplicated.
 * Duplicating (as Bitcoin does) lets [a, b, c] and [a, b, c, c] share a root (CVE-2012-2459), so
 * a relayer could add a transaction to a signed batch. Promotion gives exactly RFC 6962's tree
 * (split at the largest power of two below n), so its audit-path rules apply unchanged.
 *
 * Cost: n leaf hashes + (n - 1) node hashes; a 1,024-transaction root is 2,047 SHA-256 calls
 * over 33- or 65-byte inputs. The level is hashed in place in one preallocated buffer, through
 * one reused 65-byte scratch buffer, with one-shot crypto.hash (faster than createHash per call
 * for inputs this small; BENCHMARKS.md has the figure).
 */

const leafPrefix = 0x00;
const nodePrefix = 0x01;
const hashBytes = transactionHashBytes;

/** A bound on batch size for this module: 2^20 transactions (32 MiB of level buffer). */
export const merkleLeavesMax = 1 << 20;

export interface MerkleProof {
  /** The leaf's position in the batch, 0-based. */
  index: number;
  /** How many transactions the batch has; the tree's shape depends on it. */
  leafCount: number;
  /** Sibling hashes from the leaf's level upwards; promoted levels contribute none. */
  siblings: Uint8Array[];
}

export function merkleRoot(transactionHashes: readonly Uint8Array[]): Uint8Array {
  const level = hashLeaves(transactionHashes);
  const scratch = Buffer.allocUnsafe(1 + 2 * hashBytes);
  let count = transactionHashes.length;
  while (count > 1) count = hashLevelInPlace(level, count, scratch);
  return new Uint8Array(level.subarray(0, hashBytes));
}

export function merkleProof(transactionHashes: readonly Uint8Array[], index: number): MerkleProof {
  const leafCount = transactionHashes.length;
  if (!Number.isSafeInteger(index) || index < 0 || index >= leafCount) {
    throw invalidArgument('index', `must be an integer in [0, ${leafCount - 1}] for a batch of ${leafCount}, got ${index}`);
  }
  const level = hashLeaves(transactionHashes);
  const scratch = Buffer.allocUnsafe(1 + 2 * hashBytes);
  const siblings: Uint8Array[] = [];
  let position = index;
  let count = leafCount;
  while (count > 1) {
    const siblingPosition = position % 2 === 1 ? position - 1 : position + 1;
    if (siblingPosition < count) {
      siblings.push(Uint8Array.from(level.subarray(siblingPosition * hashBytes, (siblingPosition + 1) * hashBytes)));
    }
    count = hashLevelInPlace(level, count, scratch);
    position = Math.floor(position / 2);
  }
  return { index, leafCount, siblings };
}

/**
 * True when `proof` places `transactionHash` in the batch whose root is `root`. A proof with the
 * wrong number of siblings is false; a hash of the wrong length or an impossible index is an
 * invalid_argument error.
 */
export function verifyMerkleProof(transactionHash: Uint8Array, proof: MerkleProof, root: Uint8Array): boolean {
  checkHash('transactionHash', transactionHash);
  checkHash('root', root);
  const { index, leafCount, siblings } = proof;
  if (!Number.isSafeInteger(leafCount) || leafCount < 1 || leafCount > merkleLeavesMax) {
    throw invalidArgument('proof.leafCount', `must be an integer in [1, ${merkleLeavesMax}], got ${leafCount}`);
  }
  if (!Number.isSafeInteger(index) || index < 0 || index >= leafCount) {
    throw invalidArgument('proof.index', `must be an integer in [0, ${leafCount - 1}], got ${index}`);
  }
  if (!Array.isArray(siblings)) throw invalidArgument('proof.siblings', 'expected an array of 32-byte hashes');
  siblings.forEach((sibling, position) => checkHash(`proof.siblings[${position}]`, sibling));

  const scratch = Buffer.allocUnsafe(1 + 2 * hashBytes);
  let current = leafHash(transactionHash, scratch);
  let position = index;
  let count = leafCount;
  let used = 0;
  while (count > 1) {
    const isRightChild = position % 2 === 1;
    const hasSibling = isRightChild || position + 1 < count;
    if (hasSibling) {
      const sibling = siblings[used];
      if (sibling === undefined) return false;
      used += 1;
      current = isRightChild ? nodeHash(sibling, current, scratch) : nodeHash(current, sibling, scratch);
    }
    position = Math.floor(position / 2);
    count = Math.ceil(count / 2);
  }
  return used === siblings.length && crypto.timingSafeEqual(current, root);
}

function hashLeaves(transactionHashes: readonly Uint8Array[]): Buffer {
  if (!Array.isArray(transactionHashes)) throw invalidArgument('transactionHashes', 'expected an array of 32-byte hashes');
  const leafCount = transactionHashes.length;
  if (leafCount === 0) throw invalidArgument('transactionHashes', 'a batch has at least one transaction, got none');
  if (leafCount > merkleLeavesMax) {
    throw invalidArgument('transactionHashes', `a batch has at most ${merkleLeavesMax} transactions, got ${leafCount}`);
  }
  const level = Buffer.allocUnsafe(leafCount * hashBytes);
  const scratch = Buffer.allocUnsafe(1 + hashBytes);
  scratch[0] = leafPrefix;
  for (let leaf = 0; leaf < leafCount; leaf += 1) {
    scratch.set(checkHash(`transactionHashes[${leaf}]`, transactionHashes[leaf]), 1);
    level.set(crypto.hash('sha256', scratch, 'buffer'), leaf * hashBytes);
  }
  return level;
}

/** Replaces the first ceil(count/2) hashes of `level` with the next level up; returns that count. */
function hashLevelInPlace(level: Buffer, count: number, scratch: Buffer): number {
  assert(count >= 2 && scratch.length === 1 + 2 * hashBytes, 'a level to hash has at least two nodes');
  const pairs = count >> 1;
  scratch[0] = nodePrefix;
  // Parent p is written at p * 32, which never overtakes the children it reads at 2p * 32.
  for (let parent = 0; parent < pairs; parent += 1) {
    const childrenStart = 2 * parent * hashBytes;
    level.copy(scratch, 1, childrenStart, childrenStart + 2 * hashBytes);
    level.set(crypto.hash('sha256', scratch, 'buffer'), parent * hashBytes);
  }
  if (count % 2 === 1) level.copyWithin(pairs * hashBytes, (count - 1) * hashBytes, count * hashBytes);
  return pairs + (count % 2);
}

function leafHash(transactionHash: Uint8Array, scratch: Buffer): Buffer {
  scratch[0] = leafPrefix;
  scratch.set(transactionHash, 1);
  return crypto.hash('sha256', scratch.subarray(0, 1 + hashBytes), 'buffer');
}

function nodeHash(left: Uint8Array, right: Uint8Array, scratch: Buffer): Buffer {
  scratch[0] = nodePrefix;
  scratch.set(left, 1);
  scratch.set(right, 1 + hashBytes);
  return crypto.hash('sha256', scratch, 'buffer');
}

function checkHash(field: string, value: unknown): Uint8Array {
  const bytes = requireBytes(field, value);
  if (bytes.length !== hashBytes) throw invalidArgument(field, `transaction and Merkle hashes are ${hashBytes} bytes (SHA-256), got ${bytes.length}`);
  return bytes;
}
