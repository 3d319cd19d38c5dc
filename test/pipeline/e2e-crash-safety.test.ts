import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AurigraphClient, buildBatchSignedBatch, createClient, devSubmitter, transactionHashOf, transfer } from '../../src/client/index.js';
import { selectSignatureBackend } from '../../src/crypto/index.js';
import { type Receipt, ReceiptStatus, RejectReason, type Transaction, type TxBatch } from '../../src/generated/aurigraph.js';
import { makeDataDir, type NodeProcess } from '../helpers/node-process.js';
import { LedgerModel, hex, startNodeOn, streamBatches, testAccounts, testChainId } from './fixtures/e2e.js';

const accountCount = 64;
const transfersPerAccount = 400;
const batchSize = 256;
const streamCount = 4;
const kills = 3;

interface Planned {
  transaction: Transaction;
  hash: Uint8Array;
  /** Known COMMITTED, from a receipt or from GetReceipt after a restart. */
  committed: boolean;
  /** Sent at least once. */
  sent: boolean;
}

/** Runs `work` over `items` with at most `concurrency` calls in flight. */
async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** After a restart, waits until this node leads and has applied everything its log holds. */
async function caughtUp(client: AurigraphClient): Promise<void> {
  const deadline = Date.now() + 60_000;
  let previous = -1n;
  for (;;) {
    const metrics = await client.consensus.getMetrics({});
    const settled = metrics.leaderId !== '' && metrics.appliedIndex === metrics.commitIndex && metrics.commitIndex === metrics.lastLogIndex;
    if (settled && metrics.appliedIndex === previous) return;
    previous = settled ? metrics.appliedIndex : -1n;
    if (Date.now() > deadline) throw new Error(`the node did not catch up with its log: ${JSON.stringify(metrics, (_, value) => (typeof value === 'bigint' ? String(value) : value))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('SIGKILL in the middle of sustained load, three times: every COMMITTED transaction survives, none applies twice', { timeout: 300_000 }, async (t) => {
  const backend = selectSignatureBackend('auto');
  const submitter = devSubmitter(backend);
  const { ids, genesis } = testAccounts(accountCount, 1_000_000_000n, submitter.publicKey);
  // Sender i's transfers, nonces 0..n-1, all sent on stream i mod 4 in nonce order.
  const plans: Planned[][] = ids.map((from, sender) =>
    Array.from({ length: transfersPerAccount }, (_, nonce) => {
      const to = ids[(sender + 1 + (nonce % (accountCount - 1))) % accountCount]!;
      const transaction = transfer({ from, to, amount: BigInt(1 + (nonce % 50)), nonce: BigInt(nonce), fee: 1n, chainId: testChainId });
      return { transaction, hash: transactionHashOf(transaction), committed: false, sent: false };
    }),
  );
  const byHash = new Map(plans.flat().map((planned) => [hex(planned.hash), planned]));
  const dataDir = makeDataDir('aurigraph-crash-');
  let nextBatchId = 1n;
  let replaysRefused = 0;

  /**
   * Batches of what is not known committed with a nonce below `nonceEnd`, per stream,
   * interleaving that stream's senders in nonce order: each round adds fresh transfers to what
   * the last crash left unanswered.
   */
  const pendingBatches = (nonceEnd: number): TxBatch[][] =>
    Array.from({ length: streamCount }, (_, stream) => {
      const queues = plans
        .filter((_, sender) => sender % streamCount === stream)
        .map((plan) => plan.slice(0, nonceEnd).filter((planned) => !planned.committed));
      const ordered: Transaction[] = [];
      for (let round = 0; queues.some((queue) => round < queue.length); round++) {
        for (const queue of queues) if (round < queue.length) ordered.push(queue[round]!.transaction);
      }
      const batches: TxBatch[] = [];
      for (const queue of queues) for (const planned of queue) planned.sent = true;
      for (let first = 0; first < ordered.length; first += batchSize) {
        batches.push(buildBatchSignedBatch(nextBatchId++, ordered.slice(first, first + batchSize), submitter, backend));
      }
      return batches;
    });

  const onAnswered = (batch: TxBatch, receipts: Receipt[]): void => {
    batch.transactions.forEach((transaction, index) => {
      const receipt = receipts[index]!;
      const planned = byHash.get(hex(receipt.txHash))!;
      assert.ok(planned, 'a receipt names a planned transaction');
      assert.deepEqual(planned.transaction, transaction);
      if (receipt.status === ReceiptStatus.COMMITTED) {
        planned.committed = true;
      } else {
        // A resent transaction whose first copy was applied after all is refused as a replay.
        assert.equal(receipt.status, ReceiptStatus.REJECTED, `${receipt.status} ${receipt.rejectMessage}`);
        assert.equal(receipt.rejectReason, RejectReason.NONCE_REUSED, receipt.rejectMessage);
        replaysRefused += 1;
      }
    });
  };

  let node: NodeProcess | undefined;
  try {
    for (let round = 0; round <= kills; round++) {
      node = await startNodeOn(genesis, { dataDir });
      const client = createClient(node.address, { deadlineMs: 30_000 });
      try {
        await caughtUp(client);
        // What the last crash left unanswered: landed (found) or to be sent again.
        const unanswered = [...byHash.values()].filter((planned) => planned.sent && !planned.committed);
        let landed = 0;
        await forEachConcurrently(unanswered, 32, async (planned) => {
          const receipt = await client.transaction.getReceipt({ txHash: planned.hash }).catch(() => undefined);
          if (receipt === undefined) return;
          assert.equal(receipt.status, ReceiptStatus.COMMITTED, `a transaction that landed before the crash committed: ${receipt.rejectMessage}`);
          planned.committed = true;
          landed += 1;
        });
        if (round > 0) t.diagnostic(`restart ${round}: of ${unanswered.length} transactions sent without a receipt, ${landed} had landed; the rest are sent again`);
        const batches = pendingBatches(((round + 1) * transfersPerAccount) / (kills + 1));
        const total = batches.flat().length;
        if (round < kills) {
          let answered = 0;
          const killAfter = Math.max(1, Math.floor(total / 4));
          const sending = Promise.all(
            batches.map((stream) =>
              streamBatches(client, stream, (batch, receipts) => {
                onAnswered(batch, receipts);
                answered += 1;
                if (answered === killAfter) node!.child.kill('SIGKILL');
              }),
            ),
          ).catch(() => 'interrupted');
          assert.equal(await sending, 'interrupted', 'the node was killed before every batch was answered');
          await node.stop('SIGKILL');
          t.diagnostic(`round ${round}: killed after ${answered} of ${total} batches answered`);
        } else {
          await Promise.all(batches.map((stream) => streamBatches(client, stream, onAnswered)));
          t.diagnostic(`final round: ${total} batches, ${replaysRefused} resent transactions refused as replays`);
        }
      } finally {
        client.close();
      }
    }

    // Every planned transaction is in the ledger once: COMMITTED by GetReceipt, and the balances
    // and nonces are those of every transfer applied exactly once.
    const client = createClient(node!.address, { deadlineMs: 30_000 });
    try {
      const model = new LedgerModel(genesis);
      for (const plan of plans) for (const planned of plan) model.applyCommittedTransfer(planned.transaction);
      const rootsByHeight = new Map<bigint, string>();
      await forEachConcurrently([...byHash.values()], 32, async (planned) => {
        const receipt = await client.transaction.getReceipt({ txHash: planned.hash });
        assert.equal(receipt.status, ReceiptStatus.COMMITTED, `transaction ${hex(planned.hash)}: ${receipt.rejectMessage}`);
        const root = hex(receipt.stateRoot);
        const known = rootsByHeight.get(receipt.blockHeight);
        assert.ok(known === undefined || known === root, `receipts of block ${receipt.blockHeight} agree on its state root`);
        rootsByHeight.set(receipt.blockHeight, root);
      });
      let supply = 0n;
      for (const id of [...ids, genesis.feeAccount]) {
        const account = await client.transaction.getAccount({ accountId: id });
        assert.equal(account.nonce, model.nonces.get(hex(id)) ?? 0n, `nonce of ${hex(id)}: no transfer applied twice or lost`);
        assert.equal(account.balance, model.balances.get(hex(id)), `balance of ${hex(id)}`);
        supply += account.balance;
      }
      assert.equal(supply, model.supply());
      const latest = await client.transaction.getBlock({ height: 0n, latest: true, includeTransactions: false });
      let parent = await client.transaction.getBlock({ height: 0n, latest: false, includeTransactions: false });
      for (let height = 1n; height <= latest.height; height++) {
        const block = await client.transaction.getBlock({ height, latest: false, includeTransactions: false });
        assert.deepEqual(block.parentHash, parent.blockHash, `block ${height} chains to its parent across the restarts`);
        const root = rootsByHeight.get(height);
        if (root !== undefined) assert.equal(hex(block.stateRoot), root, `block ${height}'s state root is the one its receipts report`);
        parent = block;
      }
    } finally {
      client.close();
    }
  } finally {
    await node?.stop('SIGTERM');
    node?.cleanup();
  }
});
