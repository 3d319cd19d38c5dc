import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiptStatus, RejectReason } from '../../src/generated/aurigraph.js';
import { balanceOf, feeAccount, idOf, nonceOf, openTempStore, runBlock, simpleGenesis, transfer } from '../fixtures/ledger/ledger-fixture.js';

test('a transfer debits amount + fee, bumps the nonce, credits the receiver and the fee account', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 1_000n, bob: 50n }));
  try {
    const execution = runBlock(store, [transfer(idOf('alice'), idOf('bob'), 300n, 0n, 7n)]);
    assert.equal(execution.statuses[0], ReceiptStatus.COMMITTED);
    assert.equal(execution.reasons[0], RejectReason.REJECT_REASON_NONE);
    assert.equal(execution.messages[0], '');
    assert.equal(balanceOf(store, idOf('alice')), 693n);
    assert.equal(nonceOf(store, idOf('alice')), 1n);
    assert.equal(balanceOf(store, idOf('bob')), 350n);
    assert.equal(nonceOf(store, idOf('bob')), 0n);
    // The fee account had no allocation: its first fee credit creates it.
    assert.equal(balanceOf(store, feeAccount), 7n);
  } finally {
    await dispose();
  }
});

test('fees of a block are summed into the fee account, FAILED ones included', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n, bob: 100n }));
  try {
    const execution = runBlock(store, [
      transfer(idOf('alice'), idOf('bob'), 10n, 0n, 3n),
      transfer(idOf('bob'), idOf('alice'), 500n, 0n, 5n), // overdraft: FAILED, fee still taken
      transfer(idOf('alice'), idOf('bob'), 1n, 1n, 2n),
    ]);
    assert.deepEqual([...execution.statuses], [ReceiptStatus.COMMITTED, ReceiptStatus.FAILED, ReceiptStatus.COMMITTED]);
    assert.equal(balanceOf(store, feeAccount), 10n);
    assert.equal(balanceOf(store, idOf('alice')), 100n - 10n - 3n - 1n - 2n);
    assert.equal(balanceOf(store, idOf('bob')), 100n + 10n + 1n - 5n);
  } finally {
    await dispose();
  }
});

test('zero fees and zero amounts credit nothing, so they create no account', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    const execution = runBlock(store, [transfer(idOf('alice'), idOf('nobody-yet'), 0n, 0n, 0n)]);
    assert.equal(execution.statuses[0], ReceiptStatus.COMMITTED);
    assert.equal(store.readAccount(idOf('nobody-yet')), undefined);
    assert.equal(store.readAccount(feeAccount), undefined);
    assert.equal(nonceOf(store, idOf('alice')), 1n);
    assert.deepEqual(
      execution.writes.map((account) => account.id),
      [idOf('alice')],
    );
  } finally {
    await dispose();
  }
});

test('a transfer to an id without an account creates it with the amount, nonce 0 and no keys', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    runBlock(store, [transfer(idOf('alice'), idOf('carol'), 40n, 0n)]);
    assert.deepEqual(store.readAccount(idOf('carol')), { id: idOf('carol'), balance: 40n, nonce: 0n, keys: [] });
  } finally {
    await dispose();
  }
});

test('a transfer to oneself costs only the fee', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    const execution = runBlock(store, [transfer(idOf('alice'), idOf('alice'), 60n, 0n, 1n)]);
    assert.equal(execution.statuses[0], ReceiptStatus.COMMITTED);
    assert.equal(balanceOf(store, idOf('alice')), 99n);
    assert.equal(nonceOf(store, idOf('alice')), 1n);
  } finally {
    await dispose();
  }
});
