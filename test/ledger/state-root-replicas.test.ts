import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTempStore, runBlock } from '../fixtures/ledger/ledger-fixture.js';
import { type WorkloadOptions, workloadBlock, workloadGenesis } from '../fixtures/ledger/workload.js';

test('two independent stores fed the same blocks agree on every root, hash and account', async () => {
  const options: WorkloadOptions = { seed: 21, accountCount: 50, transactionsPerBlock: 300 };
  const first = openTempStore(workloadGenesis(options));
  const second = openTempStore(workloadGenesis(options));
  try {
    assert.deepEqual(first.store.lastBlock(), second.store.lastBlock());
    for (let block = 1n; block <= 6n; block += 1n) {
      // Each replica draws the block against its own state; equal states give equal blocks.
      const entries = workloadBlock(options, block, first.store);
      const firstExecution = runBlock(first.store, entries, 1);
      const secondExecution = runBlock(second.store, workloadBlock(options, block, second.store), 5);
      assert.deepEqual(secondExecution.header.stateRoot, firstExecution.header.stateRoot, `state root of block ${block}`);
      assert.deepEqual(secondExecution.blockHash, firstExecution.blockHash, `hash of block ${block}`);
    }
    assert.deepEqual(second.store.lastBlock(), first.store.lastBlock());
    assert.equal(second.store.appliedIndex(), first.store.appliedIndex());
    assert.deepEqual([...second.store.accounts()], [...first.store.accounts()]);
  } finally {
    await first.dispose();
    await second.dispose();
  }
});

test('a different block gives a different state root, and the difference carries forward', async () => {
  const options: WorkloadOptions = { seed: 22, accountCount: 20, transactionsPerBlock: 100 };
  const first = openTempStore(workloadGenesis(options));
  const second = openTempStore(workloadGenesis(options));
  try {
    const entries = workloadBlock(options, 1n, first.store);
    const firstExecution = runBlock(first.store, entries);
    const secondExecution = runBlock(second.store, entries.slice(1));
    assert.notDeepEqual(secondExecution.header.stateRoot, firstExecution.header.stateRoot);
    // Same transactions afterwards: the chained root still tells the histories apart.
    const next = workloadBlock(options, 2n, first.store).filter((entry) => entry.amount === 0n);
    assert.notDeepEqual(runBlock(second.store, next).header.stateRoot, runBlock(first.store, next).header.stateRoot);
  } finally {
    await first.dispose();
    await second.dispose();
  }
});
