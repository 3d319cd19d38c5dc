import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureRawGrpcStream, type RawGrpcStreamResult } from '../../bench/limits/grpc-stream.js';

function checkWellFormed(result: RawGrpcStreamResult): void {
  assert.equal(result.limit, 'raw-grpc-stream');
  assert.equal(result.errorCount, 0, `no batch failed: ${result.errorMessages.join('; ')}`);
  assert.ok(result.completedBatches > 0, 'batches came back');
  assert.ok(result.durationSec > 0);
  assert.equal(result.batchesPerSecond, result.completedBatches / result.durationSec);
  assert.equal(result.transactionsPerSecond, result.batchesPerSecond * result.configuration.transactionsPerBatch);
  assert.equal(result.requestBytesPerSecond, result.batchesPerSecond * result.configuration.batchBytes);
  const roundTrip = result.batchRoundTrip;
  assert.equal(roundTrip.count, result.completedBatches, 'one round trip recorded per batch');
  assert.ok(roundTrip.p50Us > 0 && roundTrip.p50Us <= roundTrip.p99Us && roundTrip.p99Us <= roundTrip.p999Us && roundTrip.p999Us <= roundTrip.maxUs);
  assert.ok(result.configuration.receiptBatchBytes > 0);
  assert.equal(result.configuration.serverOptions['grpc.max_receive_message_length'], 16 * 2 ** 20, "the bench profile's server options");
  for (const busy of [result.serverCoresBusy, result.clientCoresBusy]) assert.ok(busy === undefined || busy > 0);
}

test('batch-signed batches over one stream come back with their round-trip latencies', async () => {
  const result = await measureRawGrpcStream({
    signatureMode: 'batch-signed',
    clientThreads: 1,
    connectionsPerThread: 1,
    streamsPerConnection: 1,
    batchesInFlightPerStream: 1,
    durationMs: 200,
    warmupMs: 0,
  });
  checkWellFormed(result);
  assert.equal(result.configuration.transactionsPerBatch, 1024);
  // 1,024 transfers of 104 bytes each plus the batch signature and submitter key id.
  assert.ok(result.configuration.batchBytes > 1024 * 104 && result.configuration.batchBytes < 1024 * 104 + 4096);
});

test('per-transaction signatures over several threads, connections and streams', async () => {
  const result = await measureRawGrpcStream({
    signatureMode: 'per-transaction',
    clientThreads: 2,
    connectionsPerThread: 1,
    streamsPerConnection: 2,
    batchesInFlightPerStream: 2,
    durationMs: 200,
    warmupMs: 0,
    transactionsPerBatch: 64,
  });
  checkWellFormed(result);
  assert.equal(result.configuration.batchesInFlightTotal, 8);
  assert.ok(result.configuration.batchBytes > 64 * 3309, 'every transfer carries an ML-DSA-65 signature');
});

test('a configuration without streams is refused, naming the field', async () => {
  await assert.rejects(
    measureRawGrpcStream({ signatureMode: 'batch-signed', clientThreads: 1, connectionsPerThread: 1, streamsPerConnection: 0, batchesInFlightPerStream: 1, durationMs: 200 }),
    /streamsPerConnection: must be a positive whole number, got 0/,
  );
});
