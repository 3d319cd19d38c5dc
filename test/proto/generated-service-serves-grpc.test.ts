/**
 * The generated definition, handlers and client over real gRPC on 127.0.0.1, including a
 * client built by @grpc/proto-loader from proto/ (the way any other toolchain would see it).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { listProtoFiles } from '../../scripts/proto-gen/schema.js';
import {
  Receipt,
  ReceiptBatch,
  ReceiptStatus,
  Transaction,
  TransactionKind,
  TransactionServiceClient,
  TransactionServiceDefinition,
  TxBatch,
  type TransactionServiceHandlers,
} from '../../src/generated/aurigraph.js';
import { protoDir } from '../../src/paths.js';

const uint64Max = (1n << 64n) - 1n;

/** Answers each transaction with a receipt whose height echoes its nonce, so values are traceable. */
function receiptsFor(batch: TxBatch): ReceiptBatch {
  return ReceiptBatch.create({
    batchId: batch.batchId,
    receipts: batch.transactions.map((transaction, index) =>
      Receipt.create({
        batchId: batch.batchId,
        index,
        txHash: transaction.from,
        status: ReceiptStatus.COMMITTED,
        blockHeight: transaction.nonce,
        gasUsed: transaction.amount,
      }),
    ),
  });
}

const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>): void =>
  callback({ code: grpc.status.UNIMPLEMENTED, details: 'not served by this test' });

const handlers: TransactionServiceHandlers = {
  submitTransaction: unimplemented,
  submitBatch: (call, callback) => callback(null, receiptsFor(call.request)),
  streamTransactions: (call) => {
    call.on('data', (batch: TxBatch) => call.write(receiptsFor(batch)));
    call.on('end', () => call.end());
  },
  getTransaction: unimplemented,
  getReceipt: unimplemented,
  getAccount: unimplemented,
  getBlock: unimplemented,
  registerAccountKey: unimplemented,
};

let server: grpc.Server;
let address: string;

before(async () => {
  server = new grpc.Server();
  server.addService(TransactionServiceDefinition, handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    ),
  );
  address = `127.0.0.1:${port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
});

function transaction(seed: number, nonce: bigint): Transaction {
  return Transaction.create({ kind: TransactionKind.TRANSFER, from: new Uint8Array(32).fill(seed), amount: uint64Max - BigInt(seed), nonce });
}

test('SubmitBatch over gRPC with the generated client returns bigint-exact receipts', async () => {
  const client = new TransactionServiceClient(address, grpc.credentials.createInsecure());
  try {
    const batch = TxBatch.create({ batchId: uint64Max, transactions: [transaction(1, uint64Max), transaction(2, 5n)] });
    const receipts = await new Promise<ReceiptBatch>((resolve, reject) =>
      client.submitBatch(batch, (error, response) => (error || response === undefined ? reject(error) : resolve(response))),
    );
    assert.deepEqual(receipts, receiptsFor(batch));
    assert.equal(receipts.receipts[0]?.blockHeight, uint64Max);
  } finally {
    client.close();
  }
});

test('StreamTransactions carries batches in and receipts out, matched by batch id', async () => {
  const client = new TransactionServiceClient(address, grpc.credentials.createInsecure());
  try {
    const call = client.streamTransactions();
    const received: ReceiptBatch[] = [];
    const finished = new Promise<void>((resolve, reject) => {
      call.on('data', (batch: ReceiptBatch) => received.push(batch));
      call.on('error', reject);
      call.on('end', resolve);
    });
    const batches = [1n, 2n, uint64Max].map((batchId, index) =>
      TxBatch.create({ batchId, transactions: [transaction(index + 1, batchId), transaction(index + 9, 0n)] }),
    );
    for (const batch of batches) call.write(batch);
    call.end();
    await finished;
    const byBatchId = new Map(received.map((receiptBatch) => [receiptBatch.batchId, receiptBatch]));
    for (const batch of batches) assert.deepEqual(byBatchId.get(batch.batchId), receiptsFor(batch));
  } finally {
    client.close();
  }
});

test('a proto-loader client built from proto/ talks to the generated server', async () => {
  const loaded = grpc.loadPackageDefinition(
    protoLoader.loadSync(listProtoFiles(protoDir), { includeDirs: [protoDir], keepCase: false, longs: String, enums: String, defaults: true }),
  );
  const packageObject = (loaded['aurigraph'] as grpc.GrpcObject)['v11'] as grpc.GrpcObject;
  const ClientConstructor = packageObject['TransactionService'] as grpc.ServiceClientConstructor;
  const client = new ClientConstructor(address, grpc.credentials.createInsecure());
  try {
    type LooseReceipts = { batchId: string; receipts: Array<{ index: number; status: string; blockHeight: string }> };
    const response = await new Promise<LooseReceipts>((resolve, reject) => {
      const submitBatch = client['SubmitBatch'] as (request: object, callback: (error: grpc.ServiceError | null, value?: LooseReceipts) => void) => void;
      submitBatch.call(
        client,
        { batchId: '18446744073709551615', transactions: [{ kind: 'TRANSFER', from: Buffer.alloc(32, 7), nonce: '18446744073709551614' }] },
        (error, value) => (error || value === undefined ? reject(error) : resolve(value)),
      );
    });
    assert.equal(response.batchId, '18446744073709551615');
    assert.equal(response.receipts[0]?.status, 'COMMITTED');
    assert.equal(response.receipts[0]?.blockHeight, '18446744073709551614');

    const unimplementedCall = await new Promise<grpc.ServiceError | null>((resolve) => {
      const getBlock = client['GetBlock'] as (request: object, callback: (error: grpc.ServiceError | null) => void) => void;
      getBlock.call(client, { height: '1' }, (error) => resolve(error));
    });
    assert.equal(unimplementedCall?.code, grpc.status.UNIMPLEMENTED);
  } finally {
    client.close();
  }
});
