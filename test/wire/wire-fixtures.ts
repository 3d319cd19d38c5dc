/**
 * Shared builders for the wire tests: deterministic transactions and batches, a reference
 * encoding of the signing bytes written straight from transaction.proto's comment, and a
 * hand encoder (protobufjs Writer) for field orders and shapes the generated encoder never emits.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import protobuf from 'protobufjs/minimal.js';
import { AurigraphError, type ErrorKind } from '../../src/errors.js';
import { KeyAlgorithm, Transaction, TransactionKind, TxBatch } from '../../src/generated/aurigraph.js';
import { writeFixed64 } from '../../src/generated/runtime.js';
import type { TxBatchLimits } from '../../src/wire/index.js';

export const testChainId = 7;

export function testLimits(overrides: Partial<TxBatchLimits> = {}): TxBatchLimits {
  return { chainId: testChainId, maxBatchTransactions: 64, maxBatchBytes: 1 << 20, payloadBytesMax: 1024, verifyRecordBytes: 4096, ...overrides };
}

/** mulberry32: a small seeded generator, so every "random" case replays. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededBytes(random: () => number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let index = 0; index < length; index++) bytes[index] = Math.floor(random() * 256);
  return bytes;
}

export function filled(length: number, value: number): Uint8Array {
  return new Uint8Array(length).fill(value);
}

/** A valid, per-transaction-signed TRANSFER; fields distinct by `seed`. */
export function transfer(seed: number, overrides: Partial<Transaction> = {}): Transaction {
  return Transaction.create({
    kind: TransactionKind.TRANSFER,
    from: filled(32, seed & 0xff),
    to: filled(32, (seed + 1) & 0xff),
    amount: 1000n + BigInt(seed),
    nonce: BigInt(seed),
    fee: 3n,
    chainId: testChainId,
    signature: filled(64, (seed + 2) & 0xff),
    ...overrides,
  });
}

const kindsWithTo: ReadonlySet<number> = new Set([TransactionKind.TRANSFER, TransactionKind.CONTRACT_CALL, TransactionKind.TRACE_LINK]);

export function kindHasTo(kind: number): boolean {
  return kindsWithTo.has(kind);
}

/** A valid transaction of any kind with seeded field values, including the 0 and 2^64 - 1 edges. */
export function randomValidTransaction(random: () => number, options: { batchSigned: boolean; payloadBytesMax?: number }): Transaction {
  const kind = 1 + Math.floor(random() * 7);
  const payloadBytesMax = options.payloadBytesMax ?? 300;
  const edge = (): bigint => {
    const pick = random();
    if (pick < 0.2) return 0n;
    if (pick < 0.3) return (1n << 64n) - 1n;
    return BigInt(Math.floor(random() * 2 ** 52)) * BigInt(1 + Math.floor(random() * 4000));
  };
  return Transaction.create({
    kind: kind as TransactionKind,
    from: seededBytes(random, 32),
    to: kindHasTo(kind) ? seededBytes(random, 32) : new Uint8Array(0),
    amount: edge() & ((1n << 64n) - 1n),
    nonce: edge() & ((1n << 64n) - 1n),
    fee: edge() & ((1n << 64n) - 1n),
    chainId: testChainId,
    payload: kind === TransactionKind.TRANSFER ? new Uint8Array(0) : seededBytes(random, Math.floor(random() * payloadBytesMax)),
    signature: options.batchSigned ? new Uint8Array(0) : seededBytes(random, 1 + Math.floor(random() * 200)),
  });
}

export function batchOf(transactions: Transaction[], overrides: Partial<TxBatch> = {}): TxBatch {
  return TxBatch.create({ batchId: 42n, transactions, ...overrides });
}

export function batchSignedFields(): Partial<TxBatch> {
  return { batchSignature: filled(100, 0xbb), submitterKeyId: filled(32, 0x5e), submitterAlgorithm: KeyAlgorithm.ML_DSA_65 };
}

/** The signing bytes exactly as transaction.proto's top comment spells them out. */
export function referenceSigningBytes(transaction: Transaction): Uint8Array {
  const u32 = (value: number): Buffer => {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32LE(value);
    return bytes;
  };
  const u64 = (value: bigint): Buffer => {
    const bytes = Buffer.alloc(8);
    bytes.writeBigUInt64LE(value);
    return bytes;
  };
  return Buffer.concat([
    Buffer.from('AURIGRAPH-TX-V11', 'ascii'),
    u32(transaction.kind),
    transaction.from,
    transaction.to.length === 0 ? Buffer.alloc(32) : transaction.to,
    u64(transaction.amount),
    u64(transaction.nonce),
    u64(transaction.fee),
    u32(transaction.chainId),
    u32(transaction.payload.length),
    transaction.payload,
  ]);
}

export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(crypto.createHash('sha256').update(bytes).digest());
}

/** One hand-encoded field: its tag and value bytes. */
export type EncodedField = Uint8Array;

function written(write: (writer: protobuf.Writer) => void): Uint8Array {
  const writer = protobuf.Writer.create();
  write(writer);
  return new Uint8Array(writer.finish());
}

export const field = {
  varint: (fieldNumber: number, value: number): EncodedField => written((writer) => writer.uint32((fieldNumber << 3) | 0).int32(value)),
  fixed64: (fieldNumber: number, value: bigint): EncodedField =>
    written((writer) => writeFixed64(writer.uint32((fieldNumber << 3) | 1), value, `field ${fieldNumber}`)),
  bytes: (fieldNumber: number, value: Uint8Array): EncodedField => written((writer) => writer.uint32((fieldNumber << 3) | 2).bytes(value)),
  fixed32: (fieldNumber: number, value: number): EncodedField => written((writer) => writer.uint32((fieldNumber << 3) | 5).fixed32(value)),
  /** A deprecated group holding the given fields. */
  group: (fieldNumber: number, inner: EncodedField[]): EncodedField =>
    encodeFields([written((writer) => writer.uint32((fieldNumber << 3) | 3)), ...inner, written((writer) => writer.uint32((fieldNumber << 3) | 4))]),
  /** A length-delimited field whose content is the given fields (an embedded message). */
  message: (fieldNumber: number, inner: EncodedField[]): EncodedField => field.bytes(fieldNumber, encodeFields(inner)),
  /** Bytes as they are, for damage no encoder would produce. */
  raw: (bytes: number[]): EncodedField => Uint8Array.from(bytes),
};

export function encodeFields(fields: EncodedField[]): Uint8Array {
  return new Uint8Array(Buffer.concat(fields));
}

/** Every non-default field of a transaction, one writer each, in field-number order. */
export function transactionFields(transaction: Transaction): EncodedField[] {
  const fields: EncodedField[] = [];
  if (transaction.kind !== 0) fields.push(field.varint(1, transaction.kind));
  if (transaction.from.length !== 0) fields.push(field.bytes(2, transaction.from));
  if (transaction.to.length !== 0) fields.push(field.bytes(3, transaction.to));
  if (transaction.amount !== 0n) fields.push(field.fixed64(4, transaction.amount));
  if (transaction.nonce !== 0n) fields.push(field.fixed64(5, transaction.nonce));
  if (transaction.fee !== 0n) fields.push(field.fixed64(6, transaction.fee));
  if (transaction.chainId !== 0) fields.push(field.fixed32(7, transaction.chainId));
  if (transaction.payload.length !== 0) fields.push(field.bytes(8, transaction.payload));
  if (transaction.signature.length !== 0) fields.push(field.bytes(9, transaction.signature));
  return fields;
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

/** Runs `action` and checks it threw an AurigraphError of `kind` about `field`; returns it. */
export function expectAurigraphError(action: () => unknown, kind: ErrorKind, fieldName: string): AurigraphError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof AurigraphError, `expected an AurigraphError, got ${String(caught)}`);
  assert.equal(caught.kind, kind, caught.message);
  assert.equal(caught.field, fieldName, caught.message);
  assert.ok(caught.message.startsWith(`${fieldName}: `), caught.message);
  return caught;
}

/** Places `bytes` inside a larger buffer full of 0xee, the way gRPC hands over a Buffer slice. */
export function embedded(bytes: Uint8Array): Uint8Array {
  const host = Buffer.alloc(bytes.length + 64, 0xee);
  host.set(bytes, 32);
  return host.subarray(32, 32 + bytes.length);
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Byte equality whatever the view types (Buffer, Uint8Array, SharedArrayBuffer-backed). */
export function assertBytes(actual: Uint8Array, expected: Uint8Array, message?: string): void {
  assert.equal(hex(actual), hex(expected), message);
}
