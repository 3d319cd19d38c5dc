import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiptStatus, RejectReason } from '../../src/generated/aurigraph.js';
import { balanceOf, feeAccount, idOf, nonceOf, openTempStore, runBlock, simpleGenesis, transfer } from '../fixtures/ledger/ledger-fixture.js';

test('an overdraft that can pay its fee: FAILED INSUFFICIENT_FUNDS, fee charged, nonce consumed', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    const execution = runBlock(store, [transfer(idOf('alice'), idOf('bob'), 96n, 0n, 5n)]);
    assert.equal(execution.statuses[0], ReceiptStatus.FAILED);
    assert.equal(execution.reasons[0], RejectReason.INSUFFICIENT_FUNDS);
    assert.match(execution.messages[0]!, /^amount: 96 exceeds the balance 95 left after the fee 5; the fee was charged and the nonce consumed$/);
    assert.equal(balanceOf(store, idOf('alice')), 95n);
    assert.equal(nonceOf(store, idOf('alice')), 1n);
    assert.equal(balanceOf(store, feeAccount), 5n);
    assert.equal(store.readAccount(idOf('bob')), undefined);
  } finally {
    await dispose();
  }
});

test('spending exactly the whole balance is allowed', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    const execution = runBlock(store, [transfer(idOf('alice'), idOf('bob'), 95n, 0n, 5n)]);
    assert.equal(execution.statuses[0], ReceiptStatus.COMMITTED);
    assert.equal(balanceOf(store, idOf('alice')), 0n);
  } finally {
    await dispose();
  }
});

test('a transaction that cannot pay its fee changes nothing and leaves its nonce free', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 4n, bob: 100n }));
  try {
    const execution = runBlock(store, [transfer(idOf('alice'), idOf('bob'), 1n, 0n, 5n)]);
    assert.equal(execution.statuses[0], ReceiptStatus.FAILED);
    assert.equal(execution.reasons[0], RejectReason.INSUFFICIENT_FUNDS);
    assert.equal(execution.messages[0], 'fee: 5 exceeds the balance 4; nothing was charged');
    assert.equal(execution.writes.length, 0);
    assert.equal(balanceOf(store, idOf('alice')), 4n);
    assert.equal(nonceOf(store, idOf('alice')), 0n);
    // Funded later, the sender uses nonce 0 after all.
    runBlock(store, [transfer(idOf('bob'), idOf('alice'), 10n, 0n)]);
    const retried = runBlock(store, [transfer(idOf('alice'), idOf('bob'), 1n, 0n, 5n)]);
    assert.equal(retried.statuses[0], ReceiptStatus.COMMITTED);
    assert.equal(balanceOf(store, idOf('alice')), 8n);
  } finally {
    await dispose();
  }
});
