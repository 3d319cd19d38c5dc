import assert from 'node:assert/strict';
import { test } from 'node:test';
import { devSubmitter, keyIdOf, transactionHashOf } from '../../src/client/index.js';
import { selectSignatureBackend, verifyBatch } from '../../src/crypto/index.js';
import { KeyAlgorithm, TransactionKind, TxBatch } from '../../src/generated/aurigraph.js';
import { derivedAccountsGenesis, loadAccountsFrom } from '../../src/loadgen/transactions/load-accounts.js';
import { prepareBatches } from '../../src/loadgen/transactions/prepared-workload.js';
import { batchCoordinatesOf, type SignatureMode, type WorkloadPlan } from '../../src/loadgen/transactions/workload-plan.js';
import { transactionSigningBytes } from '../../src/wire/signing-bytes.js';

const backend = selectSignatureBackend('auto');
const genesis = derivedAccountsGenesis(7, backend);
const streamCount = 3;
const batchSize = 5;
const batchesPerStream = 4;

function planFor(mode: SignatureMode): WorkloadPlan {
  const accounts = loadAccountsFrom(genesis, mode, backend);
  const startNonces = new BigUint64Array(accounts.count);
  startNonces[1] = 5n; // a sender that already spent: its nonces continue from the ledger's
  return {
    signatureMode: mode,
    chainId: accounts.chainId,
    fee: 1n,
    amountMax: 1000,
    accountCount: accounts.count,
    accountIds: accounts.accountIds,
    accountSeeds: accounts.accountSeeds,
    submitterSeed: accounts.submitterSeed,
    startNonces,
    streamCount,
    batchSize,
    receiverSkew: 1,
    seed: 42,
  };
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

for (const mode of ['batch-signed', 'per-transaction'] as const) {
  test(`${mode}: prepared batches decode as the generated TxBatch, verify, and keep each sender's nonces sequential within its stream`, async () => {
    const plan = planFor(mode);
    const { batches, report } = await prepareBatches(plan, { toBatchNumber: batchesPerStream, threads: 2 });
    assert.equal(report.batchCount, streamCount * batchesPerStream);
    assert.equal(report.transactionCount, streamCount * batchesPerStream * batchSize);
    const accountIndex = new Map(Array.from({ length: plan.accountCount }, (_, index) => [hex(plan.accountIds.subarray(32 * index, 32 * index + 32)), index]));
    const publicKeys = new Map(genesis.allocations.map((allocation) => [hex(allocation.accountId), allocation.keys![0]!.publicKey]));
    const submitter = devSubmitter(backend);
    const nextNonce = new Map<number, bigint>();
    for (let stream = 0; stream < streamCount; stream++) {
      for (let batchNumber = 0; batchNumber < batchesPerStream; batchNumber++) {
        const prepared = batches.take(stream, batchNumber);
        assert.ok(prepared !== undefined, `batch ${batchNumber} of stream ${stream} was prepared`);
        const decoded = TxBatch.decode(prepared.bytes);
        assert.deepEqual(Buffer.from(TxBatch.encode(decoded)), prepared.bytes, 'byte for byte what the generated encoder writes');
        assert.equal(decoded.batchId, prepared.batchId);
        assert.deepEqual(batchCoordinatesOf(plan, Number(decoded.batchId)), { stream, batchNumber });
        assert.equal(decoded.transactions.length, batchSize);
        for (const transaction of decoded.transactions) {
          assert.equal(transaction.kind, TransactionKind.TRANSFER);
          assert.equal(transaction.chainId, plan.chainId);
          assert.equal(transaction.fee, 1n);
          assert.ok(transaction.amount >= 1n && transaction.amount <= 1000n);
          const sender = accountIndex.get(hex(transaction.from));
          const receiver = accountIndex.get(hex(transaction.to));
          assert.ok(sender !== undefined && receiver !== undefined, 'both ends are workload accounts');
          assert.notEqual(sender, receiver, 'nobody pays themselves');
          assert.equal(sender % streamCount, stream, 'a stream sends only for its own senders');
          const expected = nextNonce.get(sender) ?? plan.startNonces[sender]!;
          assert.equal(transaction.nonce, expected, `account ${sender}'s nonces run on without gaps`);
          nextNonce.set(sender, expected + 1n);
          if (mode === 'per-transaction') {
            assert.ok(backend.verify('ML-DSA-65', publicKeys.get(hex(transaction.from))!, transactionSigningBytes(transaction), transaction.signature), 'the sender signed it');
          } else {
            assert.equal(transaction.signature.length, 0, 'a batch-signed batch carries no per-transaction signature');
          }
        }
        if (mode === 'batch-signed') {
          assert.equal(decoded.submitterAlgorithm, KeyAlgorithm.ML_DSA_65);
          assert.deepEqual(decoded.submitterKeyId, keyIdOf(submitter.publicKey));
          assert.ok(verifyBatch(backend, 'ML-DSA-65', decoded.transactions.map(transactionHashOf), submitter.publicKey, decoded.batchSignature), 'the batch signature covers exactly these transactions');
        } else {
          assert.equal(decoded.batchSignature.length, 0);
        }
      }
    }
    assert.equal(nextNonce.get(1), 5n + BigInt(batchesPerStream * batchSize) / BigInt(Math.ceil((plan.accountCount - 1) / streamCount)), 'account 1 started from its ledger nonce');
  });
}

test('the same plan gives the same bytes however many threads prepare it', async () => {
  const plan = planFor('batch-signed');
  const one = await prepareBatches(plan, { toBatchNumber: 2, threads: 1 });
  const three = await prepareBatches(plan, { toBatchNumber: 2, threads: 3 });
  for (let stream = 0; stream < streamCount; stream++) {
    for (let batchNumber = 0; batchNumber < 2; batchNumber++) {
      const left = TxBatch.decode(one.batches.take(stream, batchNumber)!.bytes);
      const right = TxBatch.decode(three.batches.take(stream, batchNumber)!.bytes);
      assert.deepEqual(left.transactions, right.transactions);
    }
  }
});
