/**
 * Wire-format micro-benchmark, single thread: how fast the acceptor walks 1,024-transaction
 * batches and writes their verify records, and how fast the later stages build and read log
 * entries and encode receipts. Prints one JSON line per case and a table.
 *
 *   npm run build && node dist/bench/wire/run.js [secondsPerCase]
 *
 * Shapes: per-transaction ML-DSA-65 signatures (3,309 bytes, 4,096-byte records) and
 * batch-signed transfers (no per-transaction signature, 256-byte records). Records go into a
 * SharedArrayBuffer the size of a 1,024-slot ring, as on the acceptor; the ring's own hand-off
 * cost is bench/ring's.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { KeyAlgorithm, ReceiptStatus, Transaction, TransactionKind, TxBatch } from '../../src/generated/aurigraph.js';
import {
  EntryBuilder,
  LogEntryView,
  TransactionCursor,
  TxBatchReader,
  VerifyRecordView,
  encodeReceiptBatch,
  logEntryBytesMaxFor,
  writeVerifyRecord,
} from '../../src/wire/index.js';

const batchTransactions = 1024;
const chainId = 1;

interface Shape {
  name: string;
  signatureBytes: number;
  recordBytes: number;
}

const shapes: Shape[] = [
  { name: 'ML-DSA-65 per tx', signatureBytes: 3309, recordBytes: 4096 },
  { name: 'batch-signed', signatureBytes: 0, recordBytes: 256 },
];

function batchBytes(shape: Shape): Buffer {
  const transactions = Array.from({ length: batchTransactions }, (_, index) =>
    Transaction.create({
      kind: TransactionKind.TRANSFER,
      from: crypto.randomBytes(32),
      to: crypto.randomBytes(32),
      amount: BigInt(1 + index),
      nonce: BigInt(index),
      fee: 1n,
      chainId,
      signature: crypto.randomBytes(shape.signatureBytes),
    }),
  );
  const batchSigned = shape.signatureBytes === 0;
  const encoded = TxBatch.encode(
    TxBatch.create({
      batchId: 1n,
      transactions,
      ...(batchSigned ? { batchSignature: crypto.randomBytes(3309), submitterKeyId: crypto.randomBytes(32), submitterAlgorithm: KeyAlgorithm.ML_DSA_65 } : {}),
    }),
  );
  return Buffer.from(encoded);
}

/** Runs `iteration` for about `seconds` after a warm-up; returns iterations per second. */
function measure(seconds: number, iteration: () => void): number {
  for (let warmup = 0; warmup < 20; warmup++) iteration();
  const budgetNs = BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  let iterations = 0;
  let elapsedNs: bigint;
  do {
    for (let inner = 0; inner < 10; inner++) iteration();
    iterations += 10;
    elapsedNs = process.hrtime.bigint() - start;
  } while (elapsedNs < budgetNs);
  return iterations / (Number(elapsedNs) / 1e9);
}

function runShape(shape: Shape, seconds: number): Array<Record<string, string | number>> {
  const bytes = batchBytes(shape);
  const limits = { chainId, maxBatchTransactions: batchTransactions, maxBatchBytes: 16 << 20, payloadBytesMax: 1024, verifyRecordBytes: shape.recordBytes };
  const reader = new TxBatchReader(limits);
  const cursor = new TransactionCursor();
  const ring = new Uint8Array(new SharedArrayBuffer(shape.recordBytes * batchTransactions));
  const rows: Array<Record<string, string | number>> = [];
  const row = (stage: string, batchesPerSecond: number): void => {
    const result = {
      shape: shape.name,
      stage,
      batchBytes: bytes.length,
      batchesPerSecond: Math.round(batchesPerSecond),
      transactionsPerSecond: Math.round(batchesPerSecond * batchTransactions),
      megabytesPerSecond: Math.round((batchesPerSecond * bytes.length) / 1e6),
    };
    console.log(JSON.stringify(result));
    rows.push(result);
  };

  row('walk only', measure(seconds, () => {
    reader.open(bytes);
    for (let index = 0; index < reader.transactionCount; index++) {
      if (!reader.readTransaction(index, cursor)) throw new Error(cursor.rejectMessage);
    }
  }));
  row('walk + verify records', measure(seconds, () => {
    reader.open(bytes);
    for (let index = 0; index < reader.transactionCount; index++) {
      if (!reader.readTransaction(index, cursor)) throw new Error(cursor.rejectMessage);
      if (!writeVerifyRecord(cursor, bytes, ring, index * shape.recordBytes, shape.recordBytes, 1, index)) throw new Error('record does not fit');
    }
  }));

  const view = new VerifyRecordView(ring, shape.recordBytes);
  const hashes = Array.from({ length: batchTransactions }, () => crypto.randomBytes(32));
  const builder = new EntryBuilder(logEntryBytesMaxFor(batchTransactions, limits.maxBatchBytes));
  const header = { originNodeId: 'node-1', requestId: 1, clientBatchId: 1n, leaderTimestampMs: 1n };
  const root = crypto.randomBytes(32);
  let entry: Uint8Array = new Uint8Array(0);
  row('entry build (from records)', measure(seconds, () => {
    builder.begin(header);
    for (let index = 0; index < batchTransactions; index++) builder.append(view.moveTo(index * shape.recordBytes), hashes[index]!);
    entry = builder.finish(root);
  }));
  let checksum = 0n;
  row('entry read (validate + amounts)', measure(seconds, () => {
    const transactions = new LogEntryView(entry);
    for (let index = 0; index < transactions.count; index++) checksum += transactions.amount(index);
  }));
  if (checksum === 0n) throw new Error('entry read produced nothing');

  const statuses = new Uint8Array(batchTransactions).fill(ReceiptStatus.COMMITTED);
  const columns = {
    batchId: 1n,
    count: batchTransactions,
    statuses,
    rejectReasons: new Uint8Array(batchTransactions),
    rejectMessages: [],
    txHashes: Buffer.concat(hashes),
    blockHeight: 10n,
    stateRoot: root,
  };
  row('receipts encode', measure(seconds, () => encodeReceiptBatch(columns)));
  return rows;
}

/** The copy helper's threshold: a loop against subarray + set, for an account id. */
function copyComparison(seconds: number): Array<Record<string, string | number>> {
  const source = crypto.randomBytes(4096);
  const target = new Uint8Array(4096);
  const copies = 1024;
  const loop = measure(seconds, () => {
    for (let copy = 0; copy < copies; copy++) {
      const from = (copy * 8) & 2047;
      for (let offset = 0; offset < 32; offset++) target[from + offset] = source[from + offset]!;
    }
  });
  const set = measure(seconds, () => {
    for (let copy = 0; copy < copies; copy++) {
      const from = (copy * 8) & 2047;
      target.set(source.subarray(from, from + 32), from);
    }
  });
  const rows = [
    { shape: '32-byte copy', stage: 'byte loop', copiesPerSecond: Math.round(loop * copies) },
    { shape: '32-byte copy', stage: 'subarray + set', copiesPerSecond: Math.round(set * copies) },
  ];
  for (const row of rows) console.log(JSON.stringify(row));
  return rows;
}

const seconds = Number(process.argv[2] ?? 1);
if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`secondsPerCase must be a positive number, got ${process.argv[2]}`);
console.log(JSON.stringify({ node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', batchTransactions }));
const rows = [...shapes.flatMap((shape) => runShape(shape, seconds)), ...copyComparison(seconds)];
console.table(rows);
