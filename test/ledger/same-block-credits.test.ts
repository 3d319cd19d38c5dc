import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiptStatus, RejectReason } from '../../src/generated/aurigraph.js';
import { balanceOf, idOf, openTempStore, runBlock, simpleGenesis, transfer } from '../fixtures/ledger/ledger-fixture.js';

for (const shardCount of [1, 3]) {
  test(`a sender cannot spend what it is credited in the same block (${shardCount} shard(s))`, async () => {
    const { store, dispose } = openTempStore(simpleGenesis({ alice: 10n, bob: 1_000n }));
    try {
      const execution = runBlock(
        store,
        [transfer(idOf('bob'), idOf('alice'), 500n, 0n), transfer(idOf('alice'), idOf('carol'), 50n, 0n)],
        shardCount,
      );
      assert.deepEqual([...execution.statuses], [ReceiptStatus.COMMITTED, ReceiptStatus.FAILED]);
      assert.equal(execution.reasons[1], RejectReason.INSUFFICIENT_FUNDS);
      assert.equal(balanceOf(store, idOf('alice')), 510n);
      assert.equal(store.readAccount(idOf('carol')), undefined);
      // In the next block the credit is spendable.
      const next = runBlock(store, [transfer(idOf('alice'), idOf('carol'), 50n, 1n)], shardCount);
      assert.equal(next.statuses[0], ReceiptStatus.COMMITTED);
      assert.equal(balanceOf(store, idOf('carol')), 50n);
    } finally {
      await dispose();
    }
  });
}
