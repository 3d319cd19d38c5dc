import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildSignedBatch,
  createClient,
  devAccount,
  devAccountCount,
  devGenesis,
  devChainId,
  signTransaction,
  transactionHashOf,
  transfer,
} from '../../src/client/index.js';
import { selectSignatureBackend } from '../../src/crypto/index.js';
import { type Receipt, ReceiptStatus, type TxBatch } from '../../src/generated/aurigraph.js';
import { startNodeProcess } from '../helpers/node-process.js';
import { LedgerModel, Workload, hex, statusCounts, streamBatches } from './fixtures/e2e.js';

const transactionCount = Number(process.env['PIPELINE_E2E_SIGNED_TRANSFERS'] ?? 5_000);
const batchSize = 250;
const streamCount = 2;

test(`${transactionCount} transfers each signed with ML-DSA-65 are verified one by one and committed`, { timeout: 300_000 }, async (t) => {
  const backend = selectSignatureBackend('auto');
  const accounts = Array.from({ length: devAccountCount }, (_, index) => devAccount(index, backend));
  const genesis = devGenesis(backend);
  const model = new LedgerModel(genesis);
  const random = new Workload(5);
  // Each stream sends for its own senders, so every sender's nonces run in one stream, in order.
  const nextNonce = new Map<string, bigint>();
  const streams: TxBatch[][] = Array.from({ length: streamCount }, () => []);
  const signingStarted = performance.now();
  for (let first = 0, batchId = 1n; first < transactionCount; first += batchSize, batchId += 1n) {
    const stream = Number(batchId) % streamCount;
    const transactions = [];
    for (let index = first; index < Math.min(transactionCount, first + batchSize); index++) {
      const sender = accounts[stream + streamCount * random.below(devAccountCount / streamCount)]!;
      const receiver = accounts[random.below(devAccountCount)]!;
      const nonce = nextNonce.get(hex(sender.accountId)) ?? 0n;
      nextNonce.set(hex(sender.accountId), nonce + 1n);
      const unsigned = transfer({ from: sender.accountId, to: receiver.accountId, amount: BigInt(1 + random.below(1_000)), nonce, fee: 2n, chainId: devChainId });
      transactions.push(signTransaction(unsigned, sender.privateKey, backend));
    }
    streams[stream]!.push(buildSignedBatch(batchId, transactions));
  }
  t.diagnostic(`signed ${transactionCount} transactions in ${((performance.now() - signingStarted) / 1000).toFixed(1)} s`);

  const node = await startNodeProcess({ args: ['--set', 'log.level=info'] });
  const client = createClient(node.address, { deadlineMs: 60_000 });
  try {
    const receipts: Receipt[] = [];
    const onAnswered = (batch: TxBatch, answered: Receipt[]): void => {
      batch.transactions.forEach((transaction, index) => {
        assert.deepEqual(answered[index]!.txHash, transactionHashOf(transaction), `batch ${batch.batchId} index ${index} names its transaction`);
        if (answered[index]!.status === ReceiptStatus.COMMITTED) model.applyCommittedTransfer(transaction);
      });
      receipts.push(...answered);
    };
    const started = performance.now();
    await Promise.all(streams.map((batches) => streamBatches(client, batches, onAnswered)));
    const seconds = (performance.now() - started) / 1000;
    t.diagnostic(`per-transaction ML-DSA-65: ${transactionCount} transfers in ${seconds.toFixed(1)} s, ${Math.round(transactionCount / seconds)} tx/s`);
    assert.equal(receipts.length, transactionCount, 'one receipt per transaction');
    assert.deepEqual(statusCounts(receipts), { COMMITTED: transactionCount });
    for (const account of [...accounts.map((entry) => entry.accountId), genesis.feeAccount]) {
      const stored = await client.transaction.getAccount({ accountId: account });
      assert.equal(stored.balance, model.balances.get(hex(account)), `balance of ${hex(account)}`);
      assert.equal(stored.nonce, model.nonces.get(hex(account)) ?? 0n, `nonce of ${hex(account)}`);
    }
    const committed = receipts.find((receipt) => receipt.status === ReceiptStatus.COMMITTED)!;
    const stored = await client.transaction.getTransaction({ txHash: committed.txHash });
    assert.deepEqual(stored.receipt!.txHash, committed.txHash);
    assert.equal(stored.transaction!.signature.length, 0, 'signatures are checked before ordering and not kept in the log');
  } finally {
    client.close();
    await node.stop('SIGTERM');
    node.cleanup();
  }
});
