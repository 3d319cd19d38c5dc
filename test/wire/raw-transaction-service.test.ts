/**
 * The raw-bytes TransactionService over real gRPC on 127.0.0.1: the server walks the TxBatch
 * bytes and answers with hand-encoded ReceiptBatch bytes; the client is the generated one and
 * sees an ordinary TransactionService.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { transactionHash } from '../../src/crypto/index.js';
import {
  Account,
  ReceiptBatch,
  ReceiptStatus,
  RejectReason,
  TransactionServiceClient,
  TransactionServiceDefinition,
  type TxBatch,
} from '../../src/generated/aurigraph.js';
import { toServiceError } from '../../src/server/status.js';
import {
  RawTransactionServiceDefinition,
  TransactionCursor,
  TxBatchReader,
  VerifyRecordView,
  encodeReceiptBatch,
  writeVerifyRecord,
  type RawTransactionServiceHandlers,
} from '../../src/wire/index.js';
import { assertBytes, batchOf, filled, referenceSigningBytes, sha256, testLimits, transfer } from './wire-fixtures.js';

const recordBytes = 4096;
const stateRoot = filled(32, 0x77);
const blockHeight = 9n;

/** The acceptor's path in miniature: walk, write verify records, hash in place, answer. */
function receiptsFor(reader: TxBatchReader, batchBytes: Buffer): Buffer {
  reader.open(batchBytes);
  const count = reader.transactionCount;
  const cursor = new TransactionCursor();
  const slot = new Uint8Array(recordBytes);
  const view = new VerifyRecordView(slot, recordBytes);
  const statuses = new Uint8Array(count);
  const rejectReasons = new Uint8Array(count);
  const rejectMessages: string[] = [];
  const txHashes = new Uint8Array(count * 32);
  for (let index = 0; index < count; index++) {
    if (!reader.readTransaction(index, cursor)) {
      statuses[index] = ReceiptStatus.REJECTED;
      rejectReasons[index] = cursor.rejectReason;
      rejectMessages[index] = cursor.rejectMessage;
      continue;
    }
    assert.equal(writeVerifyRecord(cursor, reader.bytes, slot, 0, recordBytes, 1, index), true);
    txHashes.set(transactionHash(view.moveTo(0).signingBytes()), index * 32);
    statuses[index] = ReceiptStatus.COMMITTED;
  }
  return encodeReceiptBatch({ batchId: reader.batchId, count, statuses, rejectReasons, rejectMessages, txHashes, blockHeight, stateRoot });
}

const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>): void =>
  callback({ code: grpc.status.UNIMPLEMENTED, details: 'not served by this test' });

let requestWasBuffer = true;

const handlers: RawTransactionServiceHandlers = {
  submitTransaction: unimplemented,
  submitBatch: (call, callback) => {
    requestWasBuffer &&= Buffer.isBuffer(call.request);
    const reader = new TxBatchReader(testLimits({ maxBatchTransactions: 4, verifyRecordBytes: recordBytes }));
    try {
      callback(null, receiptsFor(reader, call.request));
    } catch (error) {
      callback(toServiceError(error));
    }
  },
  streamTransactions: (call) => {
    const reader = new TxBatchReader(testLimits({ verifyRecordBytes: recordBytes }));
    call.on('data', (bytes: Buffer) => {
      requestWasBuffer &&= Buffer.isBuffer(bytes);
      call.write(receiptsFor(reader, bytes));
    });
    call.on('end', () => call.end());
  },
  getTransaction: unimplemented,
  getReceipt: unimplemented,
  getAccount: (call, callback) => callback(null, Account.create({ accountId: call.request.accountId, balance: 5n, nonce: 2n })),
  getBlock: unimplemented,
  registerAccountKey: unimplemented,
};

let server: grpc.Server;
let client: TransactionServiceClient;

before(async () => {
  server = new grpc.Server();
  server.addService(RawTransactionServiceDefinition, handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, boundPort) => (error ? reject(error) : resolve(boundPort))),
  );
  client = new TransactionServiceClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

after(async () => {
  client.close();
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
});

function submitBatch(batch: TxBatch): Promise<ReceiptBatch> {
  return new Promise((resolve, reject) => client.submitBatch(batch, (error, response) => (error ? reject(error) : resolve(response!))));
}

test('the raw definition keeps every path of the generated one and swaps only the two batch methods', () => {
  for (const [name, method] of Object.entries(TransactionServiceDefinition)) {
    const raw = RawTransactionServiceDefinition[name as keyof typeof RawTransactionServiceDefinition];
    assert.equal(raw.path, method.path);
    assert.equal(raw.requestStream, method.requestStream);
    assert.equal(raw.responseStream, method.responseStream);
    assert.equal(raw.originalName, method.originalName);
    const swapped = name === 'submitBatch' || name === 'streamTransactions';
    assert.equal(raw.requestDeserialize === method.requestDeserialize, !swapped, name);
  }
  const bytes = Buffer.from([1, 2, 3]);
  assert.equal(RawTransactionServiceDefinition.submitBatch.requestDeserialize(bytes), bytes);
  const plain = Uint8Array.of(4, 5);
  const sent = RawTransactionServiceDefinition.streamTransactions.responseSerialize(plain);
  assert.ok(Buffer.isBuffer(sent));
  assert.equal(sent.buffer, plain.buffer);
});

test('SubmitBatch: the generated client sends a TxBatch and decodes the hand-encoded receipts', async () => {
  const transactions = [transfer(1), transfer(2, { chainId: 1234 }), transfer(3, { from: filled(31, 1) })];
  const receipts = await submitBatch(batchOf(transactions, { batchId: 0xabcdef0123n }));
  assert.ok(requestWasBuffer, 'the handler got the raw Buffer');
  assert.equal(receipts.batchId, 0xabcdef0123n);
  assert.equal(receipts.receipts.length, 3);
  const [committed, wrongChain, malformed] = receipts.receipts;
  assert.equal(committed!.status, ReceiptStatus.COMMITTED);
  assert.equal(committed!.index, 0);
  assert.equal(committed!.batchId, 0xabcdef0123n);
  assertBytes(committed!.txHash, sha256(referenceSigningBytes(transactions[0]!)));
  assert.equal(committed!.blockHeight, blockHeight);
  assertBytes(committed!.stateRoot, stateRoot);
  assert.equal(wrongChain!.status, ReceiptStatus.REJECTED);
  assert.equal(wrongChain!.rejectReason, RejectReason.WRONG_CHAIN);
  assert.match(wrongChain!.rejectMessage, /^chain_id: 1234 names another network/);
  assert.equal(wrongChain!.blockHeight, 0n);
  assert.equal(malformed!.rejectReason, RejectReason.MALFORMED);
  assert.match(malformed!.rejectMessage, /^from: must be exactly 32 bytes/);
  assert.equal(malformed!.txHash.length, 0);
});

test('SubmitBatch: a batch over the transaction bound comes back RESOURCE_EXHAUSTED naming the bound', async () => {
  const tooMany = batchOf(Array.from({ length: 5 }, (_, index) => transfer(index)));
  await assert.rejects(submitBatch(tooMany), (error: grpc.ServiceError) => {
    assert.equal(error.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.match(error.details, /5 transactions exceed this node's limit of 4 per batch \(batching\.maxBatchTransactions\)/);
    assert.deepEqual(error.metadata.get('aurigraph-field'), ['transactions']);
    return true;
  });
  await assert.rejects(submitBatch(batchOf([])), (error: grpc.ServiceError) => error.code === grpc.status.INVALID_ARGUMENT);
});

test('StreamTransactions: batches stream in as bytes and receipts stream out, matched by batch id', async () => {
  const call = client.streamTransactions();
  const received: ReceiptBatch[] = [];
  const done = new Promise<void>((resolve, reject) => {
    call.on('data', (batch: ReceiptBatch) => received.push(batch));
    call.on('end', resolve);
    call.on('error', reject);
  });
  for (let batchId = 1n; batchId <= 3n; batchId++) {
    call.write(batchOf(Array.from({ length: Number(batchId) }, (_, index) => transfer(index + 10)), { batchId }));
  }
  call.end();
  await done;
  assert.deepEqual(received.map((batch) => [batch.batchId, batch.receipts.length]), [[1n, 1], [2n, 2], [3n, 3]]);
  for (const batch of received) {
    for (const receipt of batch.receipts) {
      assert.equal(receipt.status, ReceiptStatus.COMMITTED);
      assertBytes(receipt.txHash, sha256(referenceSigningBytes(transfer(receipt.index + 10))));
    }
  }
});

test('the other methods keep the generated codecs', async () => {
  const accountId = filled(32, 4);
  const account = await new Promise<Account>((resolve, reject) =>
    client.getAccount({ accountId }, (error, response) => (error ? reject(error) : resolve(response!))),
  );
  assertBytes(account.accountId, accountId);
  assert.equal(account.balance, 5n);
  assert.equal(account.nonce, 2n);
});
