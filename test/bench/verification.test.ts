import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureVerification } from '../../bench/limits/verification.js';

test('each kind of verification runs on 1 and 2 threads, every answer checked', async () => {
  const result = await measureVerification({ durationMsPerCase: 200, threadCounts: [1, 2], transactionsPerBatch: 64 });
  assert.equal(result.limit, 'verification');
  assert.equal(result.configuration.signingBytesLength, 116, "a transfer's signing bytes");
  assert.deepEqual(
    result.cases.map((entry) => [entry.kind, entry.threads]),
    [
      ['ml-dsa-65-verify', 1],
      ['ml-dsa-65-verify', 2],
      ['batch-verify', 1],
      ['batch-verify', 2],
      ['signing-bytes-sha256', 1],
      ['signing-bytes-sha256', 2],
    ],
  );
  for (const entry of result.cases) {
    assert.equal(entry.failures, 0, `${entry.kind}: every verification succeeded`);
    assert.equal(entry.perThread.length, entry.threads);
    assert.ok(entry.perThread.every((thread) => thread.operations > 0 && thread.elapsedSec > 0 && thread.cpuShare > 0));
    assert.equal(entry.operations, entry.perThread.reduce((sum, thread) => sum + thread.operations, 0));
    assert.ok(entry.operationsPerSecond > 0);
    assert.equal(entry.transactionsPerOperation, entry.kind === 'batch-verify' ? 64 : 1);
    assert.equal(entry.transactionsPerSecond, entry.operationsPerSecond * entry.transactionsPerOperation);
    assert.equal(entry.threadMicrosecondsPerTransaction, (entry.threads / entry.transactionsPerSecond) * 1e6);
  }
});

test('an unknown kind is refused before any process starts', async () => {
  await assert.rejects(measureVerification({ durationMsPerCase: 200, kinds: ['ml-kem-decapsulate' as never] }), /kinds: must be among/);
});
