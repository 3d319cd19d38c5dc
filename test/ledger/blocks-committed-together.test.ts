/**
 * commitTogether: several blocks in one LMDB transaction give the same ledger as one
 * transaction each (each block reads the state the one before it wrote), and a group that
 * fails leaves nothing of itself, on disk or in the head.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { openLedgerStore } from '../../src/ledger/index.js';
import { balanceOf, idOf, nonceOf, openTempStore, runBlock, simpleGenesis, transfer } from '../fixtures/ledger/ledger-fixture.js';

const genesis = simpleGenesis({ alice: 1_000n, bob: 50n });
/** Each block spends what the one before it credited or changed: alice's nonces run across them. */
const blocks = [
  [transfer(idOf('alice'), idOf('bob'), 100n, 0n, 1n)],
  [transfer(idOf('bob'), idOf('carol'), 120n, 0n, 1n), transfer(idOf('alice'), idOf('carol'), 5n, 1n, 1n)],
  [transfer(idOf('carol'), idOf('alice'), 60n, 0n, 1n)],
];

test('blocks committed together equal the same blocks committed one by one', async () => {
  const oneByOne = openTempStore(genesis);
  const together = openTempStore(genesis);
  try {
    const expected = blocks.map((entries) => runBlock(oneByOne.store, entries));
    const committed = together.store.commitTogether(() => blocks.map((entries) => runBlock(together.store, entries)));
    assert.deepEqual(
      committed.map((execution) => execution.header.stateRoot),
      expected.map((execution) => execution.header.stateRoot),
    );
    assert.deepEqual(committed.map((execution) => execution.statuses), expected.map((execution) => execution.statuses));
    for (const name of ['alice', 'bob', 'carol']) {
      assert.equal(balanceOf(together.store, idOf(name)), balanceOf(oneByOne.store, idOf(name)), `${name}'s balance`);
      assert.equal(nonceOf(together.store, idOf(name)), nonceOf(oneByOne.store, idOf(name)), `${name}'s nonce`);
    }
    assert.equal(together.store.appliedIndex(), oneByOne.store.appliedIndex());
    await together.store.close();
    const reopened = openLedgerStore(together.directory);
    try {
      assert.deepEqual(reopened.lastBlock(), oneByOne.store.lastBlock());
      assert.equal(reopened.appliedIndex(), oneByOne.store.appliedIndex());
      assert.equal(reopened.getReceipt(blocks[2]![0]!.txHash)?.blockHeight, 3n);
    } finally {
      await reopened.close();
    }
  } finally {
    await oneByOne.dispose();
    await together.dispose().catch(() => undefined);
  }
});

test('a group that throws writes none of its blocks and leaves the head where it was', async () => {
  const temp = openTempStore(genesis);
  try {
    runBlock(temp.store, blocks[0]!);
    const headBefore = temp.store.lastBlock();
    const appliedBefore = temp.store.appliedIndex();
    assert.throws(
      () =>
        temp.store.commitTogether(() => {
          runBlock(temp.store, blocks[1]!);
          runBlock(temp.store, blocks[2]!);
          throw new Error('the third block of the group fails');
        }),
      /the third block of the group fails/,
    );
    assert.deepEqual(temp.store.lastBlock(), headBefore);
    assert.equal(temp.store.appliedIndex(), appliedBefore);
    assert.equal(temp.store.getReceipt(blocks[1]![0]!.txHash), undefined);
    assert.equal(balanceOf(temp.store, idOf('carol')), undefined);
    // The store goes on from the old head: the same blocks commit now.
    runBlock(temp.store, blocks[1]!);
    assert.equal(temp.store.lastBlock()!.header.height, 2n);
  } finally {
    await temp.dispose();
  }
});
