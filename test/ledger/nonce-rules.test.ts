import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiptStatus, RejectReason } from '../../src/generated/aurigraph.js';
import { balanceOf, idOf, nonceOf, openTempStore, runBlock, simpleGenesis, transfer } from '../fixtures/ledger/ledger-fixture.js';

test('consecutive nonces in one block all apply, in log order', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    const execution = runBlock(store, [0n, 1n, 2n].map((nonce) => transfer(idOf('alice'), idOf('bob'), 10n, nonce)));
    assert.deepEqual([...execution.statuses], [1, 1, 1]);
    assert.equal(nonceOf(store, idOf('alice')), 3n);
    assert.equal(balanceOf(store, idOf('bob')), 30n);
  } finally {
    await dispose();
  }
});

test('a replayed transaction fails as NONCE_REUSED and changes nothing', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    const original = transfer(idOf('alice'), idOf('bob'), 10n, 0n, 1n);
    runBlock(store, [original]);
    const replay = runBlock(store, [original]);
    assert.equal(replay.statuses[0], ReceiptStatus.FAILED);
    assert.equal(replay.reasons[0], RejectReason.NONCE_REUSED);
    assert.match(replay.messages[0]!, /^nonce: 0 was already used; the account's next nonce is 1/);
    assert.equal(replay.writes.length, 0);
    assert.equal(nonceOf(store, idOf('alice')), 1n);
    assert.equal(balanceOf(store, idOf('alice')), 89n);
    assert.equal(balanceOf(store, idOf('bob')), 10n);
  } finally {
    await dispose();
  }
});

test('the same nonce twice in one block: the second is NONCE_REUSED', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    const execution = runBlock(store, [transfer(idOf('alice'), idOf('bob'), 10n, 0n), transfer(idOf('alice'), idOf('carol'), 10n, 0n)]);
    assert.deepEqual([...execution.statuses], [ReceiptStatus.COMMITTED, ReceiptStatus.FAILED]);
    assert.equal(execution.reasons[1], RejectReason.NONCE_REUSED);
    assert.equal(store.readAccount(idOf('carol')), undefined);
  } finally {
    await dispose();
  }
});

test('a nonce ahead of the account fails as NONCE_GAP and changes nothing', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    const execution = runBlock(store, [transfer(idOf('alice'), idOf('bob'), 10n, 5n, 1n)]);
    assert.equal(execution.statuses[0], ReceiptStatus.FAILED);
    assert.equal(execution.reasons[0], RejectReason.NONCE_GAP);
    assert.match(execution.messages[0]!, /^nonce: 5 is ahead of the account's next nonce 0/);
    assert.equal(nonceOf(store, idOf('alice')), 0n);
    assert.equal(balanceOf(store, idOf('alice')), 100n);
    // The gap closes once the missing nonces arrive, in order.
    const later = runBlock(store, [0n, 1n, 2n, 3n, 4n, 5n].map((nonce) => transfer(idOf('alice'), idOf('bob'), 1n, nonce)));
    assert.deepEqual([...later.statuses], [1, 1, 1, 1, 1, 1]);
  } finally {
    await dispose();
  }
});
