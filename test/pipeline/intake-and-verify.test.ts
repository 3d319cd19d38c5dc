import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  buildBatchSignedBatch,
  buildSignedBatch,
  devAccount,
  devChainId,
  devSubmitter,
  signTransaction,
  transactionHashOf,
  transfer,
} from '../../src/client/index.js';
import { selectSignatureBackend } from '../../src/crypto/index.js';
import { type VerifyResult, verifyResultViews } from '../../src/exec/shard-tasks.js';
import { RejectReason, type Transaction, TxBatch } from '../../src/generated/aurigraph.js';
import { shardOf } from '../../src/ledger/index.js';
import type { BeginRequest, EndRequest, IntakeMessage } from '../../src/pipeline/messages.js';
import { readRingStats } from '../../src/ring/index.js';
import { type PipelineFixture, startPipelineFixture } from './fixtures/pipeline-fixture.js';

const backend = selectSignatureBackend('auto');
const [alice, bob, carol, dave] = [0, 1, 2, 3].map((index) => devAccount(index, backend)) as [
  ReturnType<typeof devAccount>,
  ReturnType<typeof devAccount>,
  ReturnType<typeof devAccount>,
  ReturnType<typeof devAccount>,
];

interface Judged {
  shard: number;
  index: number;
  reason: number;
  message: string | undefined;
  hash: Buffer;
  hasCompactRecord: boolean;
}

/** Runs verify tasks over what a records message announced, one task per shard at a time, as the coordinator does. */
async function verifyAnnounced(fixture: PipelineFixture, counts: readonly number[], begin: BeginRequest): Promise<Judged[]> {
  const judged: Judged[] = [];
  const submitters = begin.batchSignature
    ? [{ requestId: begin.requestId, keyId: begin.batchSignature.keyId, algorithm: begin.batchSignature.algorithm }]
    : [];
  for (let shard = 0; shard < counts.length; shard++) {
    if (counts[shard] === 0) continue;
    const result: VerifyResult = await fixture.pool.run({ kind: 'verify', shard, count: counts[shard]!, submitters });
    const views = verifyResultViews(result);
    const messages = new Map(result.messages);
    for (let slot = 0; slot < result.count; slot++) {
      assert.equal(views.requestIds[slot], begin.requestId);
      judged.push({
        shard,
        index: views.indexes[slot]!,
        reason: views.reasons[slot]!,
        message: messages.get(slot),
        hash: Buffer.from(views.hashes.subarray(slot * 32, slot * 32 + 32)),
        hasCompactRecord: views.compactOffsets[slot]! >= 0,
      });
    }
  }
  return judged;
}

/** A request's intake messages up to its end; a `whole` message is unfolded into its begin, records and end. */
async function intakeMessagesUntilEnd(fixture: PipelineFixture): Promise<IntakeMessage[]> {
  const seen: IntakeMessage[] = [];
  for (;;) {
    const message = await fixture.nextMessage();
    if (message.type === 'whole') {
      seen.push(message.begin, { type: 'records', requestId: message.begin.requestId, shardCounts: message.shardCounts }, message.end);
      return seen;
    }
    seen.push(message);
    if (message.type === 'end') return seen;
  }
}

test('records reach their home shard rings and the verifier judges each against committed state', async (t) => {
  const fixture = await startPipelineFixture(t, { 'shards.count': '2' });
  const stranger = backend.keygen('ML-DSA-65');
  const strangerId = new Uint8Array(randomBytes(32));
  const transactions: Transaction[] = [
    signTransaction(transfer({ from: alice.accountId, to: bob.accountId, amount: 10n, nonce: 0n, chainId: devChainId }), alice.privateKey, backend),
    signTransaction(transfer({ from: bob.accountId, to: alice.accountId, amount: 10n, nonce: 0n, chainId: devChainId }), alice.privateKey, backend),
    signTransaction(transfer({ from: strangerId, to: alice.accountId, amount: 1n, nonce: 0n, chainId: devChainId }), stranger.privateKey, backend),
    signTransaction(transfer({ from: carol.accountId, to: alice.accountId, amount: 1n, nonce: 0n, chainId: devChainId + 1 }), carol.privateKey, backend),
    transfer({ from: carol.accountId, to: alice.accountId, amount: 1n, nonce: 0n, chainId: devChainId }),
    signTransaction(transfer({ from: carol.accountId, to: dave.accountId, amount: 3n, nonce: 0n, chainId: devChainId }), carol.privateKey, backend),
  ];
  const outcome = await fixture.intake.submit(TxBatch.encode(buildSignedBatchUnchecked(11n, transactions)));
  assert.equal(outcome.accepted, true);

  const messages = await intakeMessagesUntilEnd(fixture);
  assert.deepEqual(fixture.messages.map((message) => message.type), ['whole'], 'a batch that fits in the rings reaches the coordinator as one message');
  const begin = messages[0] as BeginRequest;
  assert.equal(begin.type, 'begin');
  assert.equal(begin.transactionCount, 6);
  assert.equal(begin.batchId, 11n);
  const end = messages.at(-1) as EndRequest;
  assert.deepEqual(
    end.rejections.map(([index, reason]) => [index, reason]),
    [
      [3, RejectReason.WRONG_CHAIN],
      [4, RejectReason.MALFORMED],
    ],
    'the stateless checks reject the wrong chain and the missing signature at intake',
  );
  assert.match(end.rejections[1]![2], /^signature: is missing/);
  const announced = [0, 0];
  for (const message of messages) if (message.type === 'records') message.shardCounts.forEach((count, shard) => (announced[shard]! += count));
  assert.equal(end.recordCount, 4);

  const judged = await verifyAnnounced(fixture, announced, begin);
  const byIndex = new Map(judged.map((entry) => [entry.index, entry]));
  assert.deepEqual([...byIndex.keys()].sort(), [0, 1, 2, 5]);
  for (const entry of judged) {
    assert.equal(entry.shard, shardOf(transactions[entry.index]!.from, 2), `transaction ${entry.index} went to its sender's home shard`);
    assert.deepEqual(entry.hash, Buffer.from(transactionHashOf(transactions[entry.index]!)), `transaction ${entry.index} hashed in place`);
  }
  assert.equal(byIndex.get(0)!.reason, RejectReason.REJECT_REASON_NONE);
  assert.equal(byIndex.get(0)!.hasCompactRecord, true);
  assert.equal(byIndex.get(5)!.reason, RejectReason.REJECT_REASON_NONE);
  assert.equal(byIndex.get(1)!.reason, RejectReason.INVALID_SIGNATURE);
  assert.match(byIndex.get(1)!.message!, /^signature: does not verify against the ML-DSA-65 ACCOUNT_SIGNING key of account /);
  assert.equal(byIndex.get(1)!.hasCompactRecord, false);
  assert.equal(byIndex.get(2)!.reason, RejectReason.UNKNOWN_ACCOUNT);
  assert.match(byIndex.get(2)!.message!, /^from: account [0-9a-f]{64} does not exist on the ledger/);
});

test('a batch larger than a ring waits for the verifier to free space, and loses nothing', async (t) => {
  const fixture = await startPipelineFixture(t, { 'shards.count': '1', 'shards.ringRecords': '64' });
  const count = 300;
  const transactions = Array.from({ length: count }, (_, nonce) =>
    transfer({ from: alice.accountId, to: bob.accountId, amount: 1n, nonce: BigInt(nonce), chainId: devChainId }),
  );
  const batch = buildBatchSignedBatch(5n, transactions, devSubmitter(backend), backend);
  const outcome = fixture.intake.submit(TxBatch.encode(batch));

  const begin = (await fixture.nextMessage()) as BeginRequest;
  assert.equal(begin.type, 'begin');
  assert.ok(begin.batchSignature, 'a batch-signed batch carries its signature fields to the coordinator');
  const judged: Judged[] = [];
  const announcements: number[] = [];
  for (;;) {
    const message = await fixture.nextMessage();
    if (message.type === 'end') break;
    assert.equal(message.type, 'records');
    if (message.type !== 'records') continue;
    announcements.push(message.shardCounts[0]!);
    judged.push(...(await verifyAnnounced(fixture, message.shardCounts, begin)));
  }
  assert.equal((await outcome).accepted, true);
  assert.ok(announcements.length >= Math.ceil(count / 64), `the intake announced in parts as space freed: ${announcements.join(', ')}`);
  assert.ok(announcements.every((announced) => announced <= 64), 'never more records at once than the ring holds');
  assert.ok(readRingStats(fixture.rings[0]!).producerFoundFullCount > 0, 'the ring was found full');
  assert.deepEqual(
    judged.map((entry) => entry.index),
    Array.from({ length: count }, (_, index) => index),
    'every transaction verified once, in batch order',
  );
  assert.ok(judged.every((entry) => entry.reason === RejectReason.REJECT_REASON_NONE && entry.hasCompactRecord));
});

test('a batch over batching.maxBatchTransactions is refused whole, before anything is written', async (t) => {
  const fixture = await startPipelineFixture(t, { 'batching.maxBatchTransactions': '4' });
  const transactions = Array.from({ length: 5 }, (_, nonce) =>
    transfer({ from: alice.accountId, to: bob.accountId, amount: 1n, nonce: BigInt(nonce), chainId: devChainId }),
  );
  const outcome = await fixture.intake.submit(TxBatch.encode(buildBatchSignedBatch(9n, transactions, devSubmitter(backend), backend)));
  assert.equal(outcome.accepted, false);
  if (outcome.accepted) return;
  assert.equal(outcome.error.kind, 'resource_exhausted');
  assert.match(outcome.error.message, /5 transactions exceed this node's limit of 4 per batch \(batching\.maxBatchTransactions\)/);
  assert.equal(fixture.messages.length, 0, 'nothing reached the coordinator');
  assert.equal(fixture.intake.inflightTransactions, 0);
});

/** buildSignedBatch refuses unsigned transactions; this test sends one on purpose. */
function buildSignedBatchUnchecked(batchId: bigint, transactions: Transaction[]): TxBatch {
  const signed = buildSignedBatch(batchId, transactions.filter((transaction) => transaction.signature.length > 0));
  return { ...signed, transactions };
}
