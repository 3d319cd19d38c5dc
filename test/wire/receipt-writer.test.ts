/**
 * The hand-written ReceiptBatch encoder against the generated codec: for seeded shapes of every
 * kind, its bytes decode to the receipts the columns describe and are identical to what the
 * generated encoder writes for those receipts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Receipt, ReceiptBatch, ReceiptStatus, RejectReason } from '../../src/generated/aurigraph.js';
import { encodeReceiptBatch, type ReceiptColumns } from '../../src/wire/index.js';
import { assertBytes, filled, seededBytes, seededRandom } from './wire-fixtures.js';

const uint64Max = (1n << 64n) - 1n;
const sampleMessages = [
  'from: must be exactly 32 bytes (the sender\'s account id), got 31',
  'é',
  'nonce: 5 is ahead of the account\'s next nonce 3 — NONCE_GAP ✓',
  'contract trapped: 🦀 unreachable executed',
  'x'.repeat(200),
  'ü'.repeat(90),
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function randomColumns(random: () => number, count: number): ReceiptColumns {
  const statuses = new Uint8Array(count);
  const rejectReasons = new Uint8Array(count);
  const rejectMessages: (string | undefined)[] = [];
  const txHashes = new Uint8Array(count * 32);
  const withResults = random() < 0.5;
  const withGas = random() < 0.5;
  const results: (Uint8Array | undefined)[] = [];
  const gasUsed = new BigUint64Array(count);
  for (let index = 0; index < count; index++) {
    const status = pick(random, [ReceiptStatus.COMMITTED, ReceiptStatus.COMMITTED, ReceiptStatus.REJECTED, ReceiptStatus.FAILED]);
    statuses[index] = status;
    if (status !== ReceiptStatus.COMMITTED) {
      rejectReasons[index] = 1 + Math.floor(random() * 14);
      if (random() < 0.8) rejectMessages[index] = pick(random, sampleMessages);
    }
    if (random() < 0.85) txHashes.set(seededBytes(random, 32), index * 32);
    if (withResults && random() < 0.5) results[index] = seededBytes(random, pick(random, [0, 1, 8, 32, 200]));
    if (withGas) gasUsed[index] = pick(random, [0n, 1n, 21_000n, uint64Max]);
  }
  const ordered = random() < 0.8;
  return {
    batchId: pick(random, [0n, 1n, 0x1234_5678_9abcn, uint64Max]),
    count,
    statuses,
    rejectReasons,
    rejectMessages,
    txHashes,
    blockHeight: ordered ? pick(random, [1n, 300n, uint64Max]) : 0n,
    stateRoot: ordered && random() < 0.9 ? seededBytes(random, 32) : new Uint8Array(0),
    ...(withResults ? { results } : {}),
    ...(withGas ? { gasUsed } : {}),
  };
}

/** The receipts the columns describe, spelled out the slow way from transaction.proto's rules. */
function expectedReceipts(columns: ReceiptColumns, first: number, end: number): ReceiptBatch {
  const receipts: Receipt[] = [];
  for (let index = first; index < end; index++) {
    const status = columns.statuses[index]! as ReceiptStatus;
    const ordered = status !== ReceiptStatus.REJECTED;
    const hash = columns.txHashes.slice(index * 32, index * 32 + 32);
    receipts.push(
      Receipt.create({
        batchId: columns.batchId,
        index,
        txHash: hash.some((byte) => byte !== 0) ? hash : new Uint8Array(0),
        status,
        rejectReason: columns.rejectReasons[index]! as RejectReason,
        rejectMessage: columns.rejectMessages[index] ?? '',
        blockHeight: ordered ? columns.blockHeight : 0n,
        stateRoot: ordered ? columns.stateRoot : new Uint8Array(0),
        result: columns.results?.[index] ?? new Uint8Array(0),
        gasUsed: columns.gasUsed?.[index] ?? 0n,
      }),
    );
  }
  return ReceiptBatch.create({ batchId: columns.batchId, receipts });
}

function plain(batch: ReceiptBatch): unknown {
  return {
    batchId: batch.batchId,
    receipts: batch.receipts.map((receipt) => ({
      ...receipt,
      txHash: Buffer.from(receipt.txHash).toString('hex'),
      stateRoot: Buffer.from(receipt.stateRoot).toString('hex'),
      result: Buffer.from(receipt.result).toString('hex'),
    })),
  };
}

test('seeded shapes decode to the described receipts and match the generated encoder byte for byte', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const random = seededRandom(seed);
    const count = pick(random, [1, 1, 2, 5, 17, 130, 300]);
    const columns = randomColumns(random, count);
    const encoded = encodeReceiptBatch(columns);
    assert.ok(Buffer.isBuffer(encoded));
    const expected = expectedReceipts(columns, 0, count);
    assert.deepEqual(plain(ReceiptBatch.decode(encoded)), plain(expected), `seed ${seed}`);
    assertBytes(encoded, ReceiptBatch.encode(expected), `seed ${seed}`);
  }
});

test('a batch split into ranges gives messages that together hold every receipt', () => {
  const random = seededRandom(99);
  const columns = randomColumns(random, 50);
  const splits = [0, 1, 17, 49, 50];
  const receipts: Receipt[] = [];
  for (let part = 0; part + 1 < splits.length; part++) {
    const range = { first: splits[part]!, end: splits[part + 1]! };
    const encoded = encodeReceiptBatch(columns, range);
    assertBytes(encoded, ReceiptBatch.encode(expectedReceipts(columns, range.first, range.end)));
    const decoded = ReceiptBatch.decode(encoded);
    assert.equal(decoded.batchId, columns.batchId);
    receipts.push(...decoded.receipts);
  }
  assert.deepEqual(plain(ReceiptBatch.create({ batchId: columns.batchId, receipts })), plain(expectedReceipts(columns, 0, 50)));
  assertBytes(encodeReceiptBatch(columns, { first: 10, end: 10 }), ReceiptBatch.encode(ReceiptBatch.create({ batchId: columns.batchId })));
});

test('a rejected receipt carries neither block height nor state root, even when the block has them', () => {
  const columns: ReceiptColumns = {
    batchId: 3n,
    count: 2,
    statuses: Uint8Array.of(ReceiptStatus.COMMITTED, ReceiptStatus.REJECTED),
    rejectReasons: Uint8Array.of(0, RejectReason.INVALID_SIGNATURE),
    rejectMessages: [undefined, 'signature: does not verify'],
    txHashes: filled(64, 1),
    blockHeight: 12n,
    stateRoot: filled(32, 2),
  };
  const [committed, rejected] = ReceiptBatch.decode(encodeReceiptBatch(columns)).receipts;
  assert.equal(committed!.blockHeight, 12n);
  assert.equal(committed!.stateRoot.length, 32);
  assert.equal(rejected!.blockHeight, 0n);
  assert.equal(rejected!.stateRoot.length, 0);
  assert.equal(rejected!.rejectMessage, 'signature: does not verify');
  assert.equal(rejected!.index, 1);
});

test('inconsistent columns are a bug and throw before anything is encoded', () => {
  const base: ReceiptColumns = {
    batchId: 1n,
    count: 1,
    statuses: Uint8Array.of(ReceiptStatus.COMMITTED),
    rejectReasons: Uint8Array.of(0),
    rejectMessages: [],
    txHashes: filled(32, 1),
    blockHeight: 1n,
    stateRoot: filled(32, 1),
  };
  encodeReceiptBatch(base);
  assert.throws(() => encodeReceiptBatch({ ...base, statuses: Uint8Array.of(0) }), /status COMMITTED, REJECTED or FAILED/);
  assert.throws(() => encodeReceiptBatch({ ...base, rejectReasons: Uint8Array.of(1) }), /committed receipt 0 has no reject reason/);
  assert.throws(() => encodeReceiptBatch({ ...base, rejectMessages: ['oops'] }), /committed receipt 0 has no reject message/);
  assert.throws(() => encodeReceiptBatch({ ...base, statuses: Uint8Array.of(ReceiptStatus.FAILED) }), /says why/);
  assert.throws(() => encodeReceiptBatch({ ...base, txHashes: filled(31, 1) }), /txHashes/);
  assert.throws(() => encodeReceiptBatch({ ...base, stateRoot: filled(31, 1) }), /stateRoot/);
  assert.throws(() => encodeReceiptBatch({ ...base, batchId: -1n }), /batchId/);
  assert.throws(() => encodeReceiptBatch(base, { first: 0, end: 2 }), /range/);
});
