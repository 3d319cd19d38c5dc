/**
 * The byte layouts of the ledger store's records (other than accounts, see account-codec.ts,
 * block headers, see block-header.ts, and the archive's blob framing, see archive/block-blob.ts).
 * Integers that must sort (keys, index entries) are big-endian; other integers are little-endian.
 * Every decoder asserts the layout it reads.
 *
 *   block record     header (148) || block hash (32): the start of a block's archive blob
 *   tx index entry   height (u64 BE) || index (u32 BE) || applied (u8: 1 applied, 0 changed
 *                    nothing): the value of the tx-hash index (tx-index/), in hot tables and runs
 *   meta "head"      applied index u64 || height u64 || block hash (32) || state root (32)
 *   meta "chain"     chain id u32 || fee account (32) || genesis hash (32)
 *
 * Transaction record: one per block transaction, in its block's archive blob, holding its receipt
 * and its stored bytes:
 *
 *   offset  0  batch id             u64
 *           8  index in batch       u32
 *          12  status               u8
 *          13  reject reason        u8
 *          14  message length       u16 (UTF-8 bytes)
 *          16  stored bytes length  u32
 *          20  tx hash              32 bytes
 *          52  applied              u8 (1: nonce consumed and fee taken; 0: changed nothing)
 *          53  message, then stored bytes
 */
import { assert } from '../errors.js';
import { type BlockHeader, blockHeaderBytes, decodeBlockHeader, encodeBlockHeader } from './block-header.js';
import { accountIdBytes, hashBytes, isU64 } from './bytes.js';

export const heightKeyBytes = 8;
export const positionKeyBytes = 12;
export const txIndexEntryBytes = positionKeyBytes + 1;
export const transactionRecordFixedBytes = 53;
/** Receipt messages are short sentences; a longer one is cut at this many bytes. */
export const receiptMessageBytesMax = 1024;

export function heightKey(height: bigint): Buffer {
  assert(isU64(height), `height ${height} is a u64`);
  const key = Buffer.allocUnsafe(heightKeyBytes);
  key.writeBigUInt64BE(height, 0);
  return key;
}

export function writePositionKey(target: Buffer, height: bigint, index: number): void {
  assert(target.length === positionKeyBytes, 'a position key is 12 bytes');
  target.writeBigUInt64BE(height, 0);
  target.writeUInt32BE(index, 8);
}

export function decodePositionKey(bytes: Uint8Array): { height: bigint; index: number } {
  assert(bytes.length === positionKeyBytes, `a position key is ${positionKeyBytes} bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { height: view.getBigUint64(0, false), index: view.getUint32(8, false) };
}

export interface TxIndexEntry {
  height: bigint;
  index: number;
  /** The occurrence pointed at was applied (nonce consumed, fee taken). */
  applied: boolean;
}

/** Writes the entry into `target` (txIndexEntryBytes); its first positionKeyBytes are the position key. */
export function writeTxIndexEntry(target: Buffer, height: bigint, index: number, applied: boolean): void {
  assert(target.length === txIndexEntryBytes, `a tx index entry is ${txIndexEntryBytes} bytes`);
  writePositionKey(target.subarray(0, positionKeyBytes), height, index);
  target[positionKeyBytes] = applied ? 1 : 0;
}

export function decodeTxIndexEntry(bytes: Uint8Array): TxIndexEntry {
  assert(bytes.length === txIndexEntryBytes, `a tx index entry is ${txIndexEntryBytes} bytes, got ${bytes.length}`);
  const applied = bytes[positionKeyBytes]!;
  assert(applied <= 1, `a tx index entry's applied flag is 0 or 1, got ${applied}`);
  return { ...decodePositionKey(bytes.subarray(0, positionKeyBytes)), applied: applied === 1 };
}

// ---- blocks --------------------------------------------------------------------------------

export function encodeBlockRecord(header: BlockHeader, blockHash: Uint8Array): Uint8Array {
  assert(blockHash.length === hashBytes, 'a block hash is 32 bytes');
  const bytes = new Uint8Array(blockHeaderBytes + hashBytes);
  bytes.set(encodeBlockHeader(header), 0);
  bytes.set(blockHash, blockHeaderBytes);
  return bytes;
}

export function decodeBlockRecord(bytes: Uint8Array): { header: BlockHeader; blockHash: Uint8Array } {
  assert(bytes.length === blockHeaderBytes + hashBytes, `a block record is ${blockHeaderBytes + hashBytes} bytes, got ${bytes.length}`);
  return { header: decodeBlockHeader(bytes.subarray(0, blockHeaderBytes)), blockHash: bytes.subarray(blockHeaderBytes) };
}

// ---- meta ----------------------------------------------------------------------------------

export interface HeadRecord {
  appliedIndex: bigint;
  height: bigint;
  blockHash: Uint8Array;
  stateRoot: Uint8Array;
}

const headRecordBytes = 16 + 2 * hashBytes;

export function encodeHeadRecord(head: HeadRecord): Uint8Array {
  assert(isU64(head.appliedIndex) && isU64(head.height), 'head applied index and height are u64');
  assert(head.blockHash.length === hashBytes && head.stateRoot.length === hashBytes, 'head hashes are 32 bytes');
  const bytes = new Uint8Array(headRecordBytes);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, head.appliedIndex, true);
  view.setBigUint64(8, head.height, true);
  bytes.set(head.blockHash, 16);
  bytes.set(head.stateRoot, 16 + hashBytes);
  return bytes;
}

export function decodeHeadRecord(bytes: Uint8Array): HeadRecord {
  assert(bytes.length === headRecordBytes, `the head record is ${headRecordBytes} bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    appliedIndex: view.getBigUint64(0, true),
    height: view.getBigUint64(8, true),
    blockHash: new Uint8Array(bytes.subarray(16, 16 + hashBytes)),
    stateRoot: new Uint8Array(bytes.subarray(16 + hashBytes)),
  };
}

export interface ChainRecord {
  chainId: number;
  feeAccount: Uint8Array;
  genesisHash: Uint8Array;
}

const chainRecordBytes = 4 + accountIdBytes + hashBytes;

export function encodeChainRecord(chain: ChainRecord): Uint8Array {
  assert(Number.isInteger(chain.chainId) && chain.chainId >= 0 && chain.chainId <= 0xffffffff, 'chain id is a u32');
  assert(chain.feeAccount.length === accountIdBytes && chain.genesisHash.length === hashBytes, 'chain record ids are 32 bytes');
  const bytes = new Uint8Array(chainRecordBytes);
  new DataView(bytes.buffer).setUint32(0, chain.chainId, true);
  bytes.set(chain.feeAccount, 4);
  bytes.set(chain.genesisHash, 4 + accountIdBytes);
  return bytes;
}

export function decodeChainRecord(bytes: Uint8Array): ChainRecord {
  assert(bytes.length === chainRecordBytes, `the chain record is ${chainRecordBytes} bytes, got ${bytes.length}`);
  return {
    chainId: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true),
    feeAccount: new Uint8Array(bytes.subarray(4, 4 + accountIdBytes)),
    genesisHash: new Uint8Array(bytes.subarray(4 + accountIdBytes)),
  };
}

// ---- transactions --------------------------------------------------------------------------

export interface TransactionRecord {
  batchId: bigint;
  batchIndex: number;
  status: number;
  reason: number;
  message: string;
  txHash: Uint8Array;
  /** The transaction changed state (nonce consumed, fee taken); the tx index prefers this occurrence. */
  applied: boolean;
  storedBytes: Uint8Array;
}

/** The UTF-8 bytes of a receipt message, cut at receiptMessageBytesMax on a character boundary. */
export function receiptMessageBytes(message: string): Uint8Array {
  const bytes = Buffer.from(message, 'utf8');
  if (bytes.length <= receiptMessageBytesMax) return bytes;
  let end = receiptMessageBytesMax;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end);
}

/** The bytes a transaction record takes: the fixed part, the message and the stored bytes. */
export function transactionRecordLength(record: Pick<TransactionRecord, 'storedBytes'>, messageBytes: Uint8Array): number {
  return transactionRecordFixedBytes + messageBytes.length + record.storedBytes.length;
}

/**
 * Writes the record at `offset` in `target`, which must already hold it (the block archive packs
 * a block's records into one buffer this way); returns the offset just past the record.
 */
export function writeTransactionRecordAt(target: Buffer, offset: number, record: Omit<TransactionRecord, 'message'>, messageBytes: Uint8Array): number {
  assert(isU64(record.batchId), 'batch id is a u64');
  assert(Number.isInteger(record.batchIndex) && record.batchIndex >= 0 && record.batchIndex <= 0xffffffff, 'batch index is a u32');
  assert(record.txHash.length === hashBytes, 'a tx hash is 32 bytes');
  assert(messageBytes.length <= receiptMessageBytesMax, 'receipt message is bounded');
  const end = offset + transactionRecordLength(record, messageBytes);
  assert(Number.isInteger(offset) && offset >= 0 && end <= target.length, `a transaction record of ${end - offset} bytes fits at offset ${offset} of ${target.length}`);
  target.writeBigUInt64LE(record.batchId, offset);
  target.writeUInt32LE(record.batchIndex, offset + 8);
  target[offset + 12] = record.status;
  target[offset + 13] = record.reason;
  target.writeUInt16LE(messageBytes.length, offset + 14);
  target.writeUInt32LE(record.storedBytes.length, offset + 16);
  target.set(record.txHash, offset + 20);
  target[offset + 52] = record.applied ? 1 : 0;
  target.set(messageBytes, offset + transactionRecordFixedBytes);
  target.set(record.storedBytes, offset + transactionRecordFixedBytes + messageBytes.length);
  return end;
}

export function decodeTransactionRecord(bytes: Uint8Array): TransactionRecord {
  assert(bytes.length >= transactionRecordFixedBytes, `a transaction record is at least ${transactionRecordFixedBytes} bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const messageLength = view.getUint16(14, true);
  const storedLength = view.getUint32(16, true);
  assert(messageLength <= receiptMessageBytesMax, `receipt message is at most ${receiptMessageBytesMax} bytes`);
  assert(
    bytes.length === transactionRecordFixedBytes + messageLength + storedLength,
    `transaction record length ${bytes.length} matches its parts (${transactionRecordFixedBytes} + ${messageLength} + ${storedLength})`,
  );
  const messageStart = transactionRecordFixedBytes;
  const storedStart = messageStart + messageLength;
  const applied = bytes[52]!;
  assert(applied <= 1, `a transaction record's applied flag is 0 or 1, got ${applied}`);
  return {
    batchId: view.getBigUint64(0, true),
    batchIndex: view.getUint32(8, true),
    status: bytes[12]!,
    reason: bytes[13]!,
    message: Buffer.from(bytes.buffer, bytes.byteOffset + messageStart, messageLength).toString('utf8'),
    txHash: bytes.subarray(20, 20 + hashBytes),
    applied: applied === 1,
    storedBytes: bytes.subarray(storedStart, storedStart + storedLength),
  };
}
