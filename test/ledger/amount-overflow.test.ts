import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiptStatus, RejectReason } from '../../src/generated/aurigraph.js';
import { u64Max } from '../../src/ledger/index.js';
import { balanceOf, feeAccount, idOf, nonceOf, openTempStore, runBlock, simpleGenesis, transfer } from '../fixtures/ledger/ledger-fixture.js';

test('amount + fee above 2^64 - 1 fails as AMOUNT_OVERFLOW; the fee is charged and the nonce consumed', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ whale: u64Max - 10n, minnow: 10n }));
  try {
    const execution = runBlock(store, [transfer(idOf('whale'), idOf('minnow'), u64Max - 1n, 0n, 2n)]);
    assert.equal(execution.statuses[0], ReceiptStatus.FAILED);
    assert.equal(execution.reasons[0], RejectReason.AMOUNT_OVERFLOW);
    assert.match(execution.messages[0]!, /^amount: 18446744073709551614 plus fee 2 exceeds 2\^64 - 1/);
    assert.equal(balanceOf(store, idOf('whale')), u64Max - 12n);
    assert.equal(nonceOf(store, idOf('whale')), 1n);
    assert.equal(balanceOf(store, idOf('minnow')), 10n);
    assert.equal(balanceOf(store, feeAccount), 2n);
  } finally {
    await dispose();
  }
});

test('the whole supply at 2^64 - 1 can move without overflow: amount + fee exactly 2^64 - 1 is fine', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ whale: u64Max }));
  try {
    const execution = runBlock(store, [transfer(idOf('whale'), idOf('minnow'), u64Max - 1n, 0n, 1n)]);
    assert.equal(execution.statuses[0], ReceiptStatus.COMMITTED);
    assert.equal(balanceOf(store, idOf('minnow')), u64Max - 1n);
    assert.equal(balanceOf(store, feeAccount), 1n);
    assert.equal(balanceOf(store, idOf('whale')), 0n);
    // Everything flows back into one account: the sum reaches 2^64 - 1 and still fits.
    const back = runBlock(store, [transfer(idOf('minnow'), feeAccount, u64Max - 1n, 0n)]);
    assert.equal(back.statuses[0], ReceiptStatus.COMMITTED);
    assert.equal(balanceOf(store, feeAccount), u64Max);
  } finally {
    await dispose();
  }
});
