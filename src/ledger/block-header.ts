/**
 * A block header and its hash. The hash is SHA-256 over this fixed 148-byte layout, integers
 * little-endian, so it depends on no encoder:
 *
 *   offset   0  "AURIGRAPH-BLK-V1"   16 ASCII bytes
 *           16  height               u64
 *           24  parent hash          32 bytes (zero for genesis)
 *           56  state root           32 bytes
 *           88  transactions root    32 bytes
 *          120  timestamp (ms)       u64
 *          128  raft term            u64
 *          136  raft index           u64
 *          144  transaction count    u32
 *
 * For the genesis block (height 0, no transactions, term and index 0) the transactions root is
 * the digest of the genesis document (genesis.ts), so the genesis hash commits to the chain id,
 * fee account and every allocation.
 */
import { assert } from '../errors.js';
import { hashBytes, isU64, sha256 } from './bytes.js';

export interface BlockHeader {
  height: bigint;
  parentHash: Uint8Array;
  stateRoot: Uint8Array;
  transactionsRoot: Uint8Array;
  timestampMs: bigint;
  raftTerm: bigint;
  raftIndex: bigint;
  transactionCount: number;
}

export const blockHeaderPrefix: Uint8Array = new TextEncoder().encode('AURIGRAPH-BLK-V1');
export const blockHeaderBytes = 148;

export function encodeBlockHeader(header: BlockHeader): Uint8Array {
  checkBlockHeader(header);
  const bytes = new Uint8Array(blockHeaderBytes);
  const view = new DataView(bytes.buffer);
  bytes.set(blockHeaderPrefix, 0);
  view.setBigUint64(16, header.height, true);
  bytes.set(header.parentHash, 24);
  bytes.set(header.stateRoot, 56);
  bytes.set(header.transactionsRoot, 88);
  view.setBigUint64(120, header.timestampMs, true);
  view.setBigUint64(128, header.raftTerm, true);
  view.setBigUint64(136, header.raftIndex, true);
  view.setUint32(144, header.transactionCount, true);
  return bytes;
}

/** Decodes the layout above; the header keeps views onto `bytes`. */
export function decodeBlockHeader(bytes: Uint8Array): BlockHeader {
  assert(bytes.length === blockHeaderBytes, `a block header is ${blockHeaderBytes} bytes, got ${bytes.length}`);
  for (let index = 0; index < blockHeaderPrefix.length; index += 1) {
    assert(bytes[index] === blockHeaderPrefix[index], 'a block header starts with AURIGRAPH-BLK-V1');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header: BlockHeader = {
    height: view.getBigUint64(16, true),
    parentHash: bytes.subarray(24, 56),
    stateRoot: bytes.subarray(56, 88),
    transactionsRoot: bytes.subarray(88, 120),
    timestampMs: view.getBigUint64(120, true),
    raftTerm: view.getBigUint64(128, true),
    raftIndex: view.getBigUint64(136, true),
    transactionCount: view.getUint32(144, true),
  };
  checkBlockHeader(header);
  return header;
}

export function blockHash(header: BlockHeader): Uint8Array {
  return sha256(encodeBlockHeader(header));
}

export function checkBlockHeader(header: BlockHeader): void {
  assert(isU64(header.height), `block height ${header.height} is a u64`);
  assert(header.parentHash.length === hashBytes, 'block parent hash is 32 bytes');
  assert(header.stateRoot.length === hashBytes, 'block state root is 32 bytes');
  assert(header.transactionsRoot.length === hashBytes, 'block transactions root is 32 bytes');
  assert(isU64(header.timestampMs) && isU64(header.raftTerm) && isU64(header.raftIndex), 'block timestamp, term and index are u64');
  assert(
    Number.isInteger(header.transactionCount) && header.transactionCount >= 0 && header.transactionCount <= 0xffffffff,
    `block transaction count ${header.transactionCount} is a u32`,
  );
}
