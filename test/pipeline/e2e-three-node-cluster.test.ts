import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import {
  type AurigraphClient,
  buildBatchSignedBatch,
  createClient,
  devAccount,
  devAccountCount,
  devChainId,
  devSubmitter,
  transfer,
} from '../../src/client/index.js';
import { selectSignatureBackend } from '../../src/crypto/index.js';
import { type Receipt, ReceiptStatus, type TxBatch } from '../../src/generated/aurigraph.js';
import { type NodeProcess, startNodeProcess } from '../helpers/node-process.js';
import { freePorts, waitFor } from '../consensus/consensus-nodes.js';
import { hex, streamBatches } from './fixtures/e2e.js';

const batchCount = 24;
const batchSize = 512;

test('three replicas apply the leader\'s blocks to the same state root; a follower sends clients to the leader', { timeout: 240_000 }, async () => {
  const backend = selectSignatureBackend('auto');
  const accounts = Array.from({ length: devAccountCount }, (_, index) => devAccount(index, backend));
  const submitter = devSubmitter(backend);
  const nonces = new Array<bigint>(devAccountCount).fill(0n);
  const batches: TxBatch[] = [];
  for (let batch = 0; batch < batchCount; batch++) {
    const transactions = Array.from({ length: batchSize }, (_, index) => {
      const sender = (batch + index) % devAccountCount;
      const nonce = nonces[sender]!;
      nonces[sender] = nonce + 1n;
      return transfer({ from: accounts[sender]!.accountId, to: accounts[(sender + 3) % devAccountCount]!.accountId, amount: 2n, nonce, fee: 1n, chainId: devChainId });
    });
    batches.push(buildBatchSignedBatch(BigInt(batch + 1), transactions, submitter, backend));
  }

  const ports = await freePorts(3);
  const peers = ports.map((port, position) => `node-${position + 1}=127.0.0.1:${port}`).join(',');
  const nodes: NodeProcess[] = [];
  const clients: AurigraphClient[] = [];
  try {
    for (let index = 0; index < 3; index++) {
      nodes.push(
        await startNodeProcess({
          args: ['--set', 'log.level=info', '--set', `node.id=node-${index + 1}`, '--set', `raft.peers=${peers}`, '--set', `grpc.port=${ports[index]}`],
        }),
      );
      clients.push(createClient(nodes[index]!.address, { deadlineMs: 30_000 }));
    }
    const leaderId = await waitFor('a leader every node knows', async () => {
      const known = await Promise.all(clients.map(async (client) => (await client.consensus.getMetrics({})).leaderId));
      return known[0] !== '' && known.every((id) => id === known[0]) ? known[0] : undefined;
    });
    const leader = Number(leaderId.slice('node-'.length)) - 1;
    const follower = (leader + 1) % 3;

    // A follower cannot order a batch: it names the leader, as ConsensusService does.
    await assert.rejects(clients[follower]!.transaction.submitBatch(batches[0]!), (error: grpc.ServiceError) => {
      assert.equal(error.code, grpc.status.FAILED_PRECONDITION, error.details);
      assert.equal(error.metadata.get('aurigraph-leader-id')[0], leaderId);
      assert.equal(error.metadata.get('aurigraph-leader-address')[0], `127.0.0.1:${ports[leader]}`);
      assert.match(error.details, new RegExp(`the leader is ${leaderId}`));
      return true;
    });

    let committed = 0;
    await streamBatches(clients[leader]!, batches, (_batch: TxBatch, receipts: Receipt[]) => {
      for (const receipt of receipts) {
        if (receipt.status !== ReceiptStatus.COMMITTED) assert.fail(receipt.rejectMessage);
        committed += 1;
      }
    });
    assert.equal(committed, batchCount * batchSize);

    // Every replica reaches the leader's last block, with the same hash and state root.
    const last = await clients[leader]!.transaction.getBlock({ height: 0n, latest: true, includeTransactions: false });
    for (const client of clients) {
      const block = await waitFor(`a replica at height ${last.height}`, async () => {
        const latest = await client.transaction.getBlock({ height: 0n, latest: true, includeTransactions: false });
        return latest.height >= last.height ? await client.transaction.getBlock({ height: last.height, latest: false, includeTransactions: false }) : undefined;
      });
      assert.equal(hex(block.blockHash), hex(last.blockHash), 'the same block on every replica');
      assert.equal(hex(block.stateRoot), hex(last.stateRoot), 'the same state root on every replica');
      for (const account of accounts) {
        const replica = await client.transaction.getAccount({ accountId: account.accountId });
        assert.equal(replica.nonce, nonces[account.index]);
      }
    }
  } finally {
    for (const client of clients) client.close();
    for (const node of nodes) {
      await node.stop('SIGTERM');
      node.cleanup();
    }
  }
});
