import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiptStatus } from '../../src/generated/aurigraph.js';
import { openTempStore, runBlock, totalSupply } from '../fixtures/ledger/ledger-fixture.js';
import { type WorkloadOptions, workloadBlock, workloadGenesis } from '../fixtures/ledger/workload.js';

for (const [seed, shardCount] of [[7, 1], [8, 4], [9, 8]] as const) {
  test(`random workloads conserve the total supply (seed ${seed}, ${shardCount} shards)`, async () => {
    const options: WorkloadOptions = { seed, accountCount: 60, transactionsPerBlock: 400 };
    const genesis = workloadGenesis(options);
    const supply = genesis.allocations.reduce((sum, allocation) => sum + allocation.balance, 0n);
    const { store, dispose } = openTempStore(genesis);
    try {
      assert.equal(totalSupply(store), supply);
      let committed = 0;
      let failed = 0;
      for (let block = 1n; block <= 8n; block += 1n) {
        const execution = runBlock(store, workloadBlock(options, block, store), shardCount);
        for (const status of execution.statuses) {
          if (status === ReceiptStatus.COMMITTED) committed += 1;
          else if (status === ReceiptStatus.FAILED) failed += 1;
          else assert.fail(`execution gave status ${status}`);
        }
        assert.equal(totalSupply(store), supply, `supply after block ${block}`);
      }
      // Both outcomes occurred, so the check covered debits, credits and fees of each.
      assert.ok(committed > 100 && failed > 100, `committed ${committed}, failed ${failed}`);
    } finally {
      await dispose();
    }
  });
}
