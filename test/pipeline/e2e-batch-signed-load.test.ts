import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient, devSubmitter } from '../../src/client/index.js';
import { selectSignatureBackend } from '../../src/crypto/index.js';
import { type Receipt, ReceiptStatus, type TxBatch } from '../../src/generated/aurigraph.js';
import { LedgerModel, buildTransferStreams, hex, startNodeOn, streamBatches, testAccounts } from './fixtures/e2e.js';

// How many transfers; PIPELINE_E2E_TRANSFERS overrides (the full run is 1,000,000).
const transactionCount = Number(process.env['PIPELINE_E2E_TRANSFERS'] ?? 1_000_000);
const batchSize = 1_024;
const accountCount = 1_000;
const streamCount = 4;
const initialBalance = 1_000_000_000_000n;

test(`${transactionCount} batch-signed transfers over ${streamCount} streams: one receipt each, and the ledger matches an independent model`, { timeout: 600_000 }, async (t) => {
  const backend = selectSignatureBackend('auto');
  const submitter = devSubmitter(backend);
  const { ids, genesis } = testAccounts(accountCount, initialBalance, submitter.publicKey);
  const model = new LedgerModel(genesis);
  const buildStarted = performance.now();
  const { streams, hashesByBatch, batchCount } = buildTransferStreams({ transactionCount, batchSize, streamCount, ids, seed: 1_000_000, submitter, backend });
  t.diagnostic(`built and signed ${batchCount} batches in ${((performance.now() - buildStarted) / 1000).toFixed(1)} s`);

  const node = await startNodeOn(genesis);
  const client = createClient(node.address, { deadlineMs: 60_000 });
  try {
    // Each batch is checked as its receipts complete: exactly one receipt per transaction, each
    // COMMITTED and naming its transaction; the model applies it (per sender, in nonce order).
    const stateRootByHeight = new Map<bigint, string>();
    // Every 997th receipt, read back by hash at the end: by then most of the tx-hash index has
    // moved from its hot LMDB tables into run files, merged on the shard pool.
    const sampledReceipts: Receipt[] = [];
    let answered = 0;
    const onAnswered = (batch: TxBatch, receipts: Receipt[]): void => {
      batch.transactions.forEach((transaction, index) => {
        const receipt = receipts[index]!;
        if (answered++ % 997 === 0) sampledReceipts.push(receipt);
        if (receipt.status !== ReceiptStatus.COMMITTED) assert.fail(`batch ${batch.batchId} index ${index}: ${receipt.status} ${receipt.rejectMessage}`);
        const expected = hashesByBatch.get(batch.batchId)!.subarray(32 * index, 32 * index + 32);
        if (Buffer.compare(receipt.txHash, expected) !== 0) assert.fail(`batch ${batch.batchId} index ${index}: the receipt names another transaction`);
        const root = hex(receipt.stateRoot);
        const known = stateRootByHeight.get(receipt.blockHeight);
        if (known === undefined) stateRootByHeight.set(receipt.blockHeight, root);
        else assert.equal(root, known, `every receipt of block ${receipt.blockHeight} reports the same state root`);
        model.applyCommittedTransfer(transaction);
      });
    };
    const started = performance.now();
    const receiptCounts = await Promise.all(streams.map((batches) => streamBatches(client, batches, onAnswered)));
    const seconds = (performance.now() - started) / 1000;
    t.diagnostic(`batch-signed: ${transactionCount} transfers in ${seconds.toFixed(1)} s, ${Math.round(transactionCount / seconds)} tx/s end to end`);
    assert.equal(
      receiptCounts.reduce((sum, count) => sum + count, 0),
      transactionCount,
      'one receipt per transaction',
    );

    // Balances and nonces as the model computed them; the supply is conserved.
    let ledgerSupply = 0n;
    for (const account of [...ids, genesis.feeAccount]) {
      const stored = await client.transaction.getAccount({ accountId: account });
      assert.equal(stored.balance, model.balances.get(hex(account)), `balance of ${hex(account)}`);
      assert.equal(stored.nonce, model.nonces.get(hex(account)) ?? 0n, `nonce of ${hex(account)}`);
      ledgerSupply += stored.balance;
    }
    assert.equal(ledgerSupply, initialBalance * BigInt(accountCount), 'no unit created or destroyed');
    assert.equal(model.supply(), ledgerSupply);

    // Blocks 1..latest are contiguous, chained, and carry the state roots the receipts reported.
    const latest = await client.transaction.getBlock({ height: 0n, latest: true, includeTransactions: false });
    let parent = await client.transaction.getBlock({ height: 0n, latest: false, includeTransactions: false });
    let blockTransactions = 0;
    for (let height = 1n; height <= latest.height; height++) {
      const block = await client.transaction.getBlock({ height, latest: false, includeTransactions: false });
      assert.equal(block.height, height);
      assert.deepEqual(block.parentHash, parent.blockHash, `block ${height} chains to block ${height - 1n}`);
      const reported = stateRootByHeight.get(height);
      assert.ok(reported !== undefined, `some receipt names block ${height}`);
      assert.equal(hex(block.stateRoot), reported, `block ${height}'s state root is what its receipts reported`);
      blockTransactions += block.transactionCount;
      parent = block;
    }
    assert.equal(blockTransactions, transactionCount, 'the blocks hold every transaction once');

    assert.equal(sampledReceipts.length, Math.ceil(transactionCount / 997), 'every 997th receipt was sampled');
    for (const sampled of sampledReceipts) {
      const read = await client.transaction.getReceipt({ txHash: sampled.txHash });
      assert.equal(read.status, ReceiptStatus.COMMITTED, `GetReceipt of ${hex(sampled.txHash)}`);
      assert.equal(read.blockHeight, sampled.blockHeight, `GetReceipt of ${hex(sampled.txHash)}: the block its receipt named`);
      assert.equal(read.batchId, sampled.batchId, `GetReceipt of ${hex(sampled.txHash)}: its batch`);
      assert.equal(read.index, sampled.index, `GetReceipt of ${hex(sampled.txHash)}: its index in that batch`);
    }
    await assert.rejects(client.transaction.getReceipt({ txHash: new Uint8Array(32).fill(0xab) }), /NOT_FOUND|not found/i, 'an unknown hash is NOT_FOUND');
    assert.equal(stateRootByHeight.size, Number(latest.height), 'no receipt names a block that does not exist');
  } finally {
    client.close();
    await node.stop('SIGTERM');
    node.cleanup();
  }
});
