/**
 * Issue #5's cluster run: a million batch-signed transfers into the leader of three real node
 * processes, checked receipt by receipt, then replica by replica against an independent model.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { devSubmitter } from '../../src/client/index.js';
import { selectSignatureBackend } from '../../src/crypto/index.js';
import { type Receipt, ReceiptStatus, type TxBatch } from '../../src/generated/aurigraph.js';
import { LedgerCluster } from './fixtures/cluster.js';
import { LedgerModel, buildTransferStreams, hex, streamBatches, testAccounts } from './fixtures/e2e.js';

// How many transfers; PIPELINE_CLUSTER_TRANSFERS overrides (the full run is 1,000,000).
const transactionCount = Number(process.env['PIPELINE_CLUSTER_TRANSFERS'] ?? 1_000_000);
const batchSize = 8_192;
const accountCount = 1_000;
const streamCount = 4;
const initialBalance = 1_000_000_000_000n;

test(`three nodes: ${transactionCount} batch-signed transfers to the leader, one receipt each; every replica holds the model's ledger and the same state root at every height`, { timeout: 480_000 }, async (t) => {
  const backend = selectSignatureBackend('auto');
  const submitter = devSubmitter(backend);
  const { ids, genesis } = testAccounts(accountCount, initialBalance, submitter.publicKey);
  const model = new LedgerModel(genesis);
  const buildStarted = performance.now();
  const { streams, hashesByBatch, batchCount } = buildTransferStreams({ transactionCount, batchSize, streamCount, ids, seed: 3_000_003, submitter, backend });
  t.diagnostic(`built and signed ${batchCount} batches of up to ${batchSize} in ${((performance.now() - buildStarted) / 1000).toFixed(1)} s`);

  const cluster = await LedgerCluster.start(genesis, { args: ['--set', `batching.maxBatchTransactions=${batchSize}`], deadlineMs: 60_000 });
  try {
    const leader = await cluster.agreedLeader();
    const client = cluster.client(leader);

    // Each batch is checked as its receipts complete: exactly one receipt per transaction, each
    // COMMITTED and naming its transaction; the model applies it (per sender, in nonce order).
    const stateRootByHeight = new Map<bigint, string>();
    const answeredBatches = new Set<bigint>();
    const onAnswered = (batch: TxBatch, receipts: Receipt[]): void => {
      const expected = hashesByBatch.get(batch.batchId)!;
      assert.ok(answeredBatches.add(batch.batchId), 'a batch is answered once');
      batch.transactions.forEach((transaction, index) => {
        const receipt = receipts[index]!;
        if (receipt.status !== ReceiptStatus.COMMITTED) assert.fail(`batch ${batch.batchId} index ${index}: ${receipt.status} ${receipt.rejectMessage}`);
        if (Buffer.compare(receipt.txHash, expected.subarray(32 * index, 32 * index + 32)) !== 0) assert.fail(`batch ${batch.batchId} index ${index}: the receipt names another transaction`);
        const root = hex(receipt.stateRoot);
        const known = stateRootByHeight.get(receipt.blockHeight);
        if (known === undefined) stateRootByHeight.set(receipt.blockHeight, root);
        else if (known !== root) assert.fail(`receipts of block ${receipt.blockHeight} report two state roots`);
        model.applyCommittedTransfer(transaction);
      });
    };
    const started = performance.now();
    const receiptCounts = await Promise.all(streams.map((batches) => streamBatches(client, batches, onAnswered, { deadlineMs: 400_000 })));
    const seconds = (performance.now() - started) / 1000;
    t.diagnostic(`three nodes, batch-signed: ${transactionCount} transfers in ${seconds.toFixed(1)} s, ${Math.round(transactionCount / seconds)} tx/s end to end (leader ${cluster.idOf(leader)})`);
    assert.equal(receiptCounts.reduce((sum, count) => sum + count, 0), transactionCount, 'one receipt per transaction');
    assert.equal(answeredBatches.size, hashesByBatch.size, 'every batch was answered');

    // Every replica: the same blocks at every height, carrying the state roots the receipts reported.
    const checksStarted = performance.now();
    const blocks = await cluster.replicasAgree();
    t.diagnostic(`replicas agree on ${blocks.length} blocks (caught up and compared in ${((performance.now() - checksStarted) / 1000).toFixed(1)} s)`);
    assert.equal(blocks.length, stateRootByHeight.size, 'no receipt names a block that does not exist, and every block has receipts');
    const inBlocks = new Set<string>();
    for (const block of blocks) {
      assert.equal(hex(block.stateRoot), stateRootByHeight.get(block.height), `block ${block.height}'s state root is what its receipts reported`);
      for (const hash of block.transactionHashes) {
        const key = Buffer.from(hash).toString('latin1');
        if (inBlocks.has(key)) assert.fail(`transaction ${hex(hash)} is in two blocks`);
        inBlocks.add(key);
      }
    }
    for (const packed of hashesByBatch.values()) {
      for (let offset = 0; offset < packed.length; offset += 32) {
        if (!inBlocks.has(Buffer.from(packed.subarray(offset, offset + 32)).toString('latin1'))) assert.fail(`transaction ${hex(packed.subarray(offset, offset + 32))} is in no block`);
      }
    }
    assert.equal(inBlocks.size, transactionCount, 'the blocks hold every transaction once, and nothing else');

    // On every node: balances and nonces as the model computed them; the supply is conserved.
    await Promise.all(
      cluster.running().map(async (index) => {
        let ledgerSupply = 0n;
        for (const account of [...ids, genesis.feeAccount]) {
          const stored = await cluster.client(index).transaction.getAccount({ accountId: account });
          assert.equal(stored.balance, model.balances.get(hex(account)), `${cluster.idOf(index)}: balance of ${hex(account)}`);
          assert.equal(stored.nonce, model.nonces.get(hex(account)) ?? 0n, `${cluster.idOf(index)}: nonce of ${hex(account)}`);
          ledgerSupply += stored.balance;
        }
        assert.equal(ledgerSupply, initialBalance * BigInt(accountCount), `${cluster.idOf(index)}: no unit created or destroyed`);
      }),
    );
    assert.equal(model.supply(), initialBalance * BigInt(accountCount));
    t.diagnostic(`checks after the load took ${((performance.now() - checksStarted) / 1000).toFixed(1)} s`);
  } finally {
    await cluster.stop();
  }
});
