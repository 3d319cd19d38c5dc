import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiptStatus, RejectReason, TransactionKind } from '../../src/generated/aurigraph.js';
import { balanceOf, feeAccount, idOf, nonceOf, openTempStore, runBlock, simpleGenesis, transaction } from '../fixtures/ledger/ledger-fixture.js';

test('contract, storage and trace kinds FAIL as not enabled on this node, consuming nonce and fee', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    const kinds = [
      [TransactionKind.CONTRACT_DEPLOY, RejectReason.UNKNOWN_CONTRACT, 'CONTRACT_DEPLOY'],
      [TransactionKind.CONTRACT_CALL, RejectReason.UNKNOWN_CONTRACT, 'CONTRACT_CALL'],
      [TransactionKind.TRACE_LINK, RejectReason.UNKNOWN_CONTRACT, 'TRACE_LINK'],
      [TransactionKind.STORAGE_PUT, RejectReason.STORAGE_REJECTED, 'STORAGE_PUT'],
      [TransactionKind.STORAGE_DELETE, RejectReason.STORAGE_REJECTED, 'STORAGE_DELETE'],
    ] as const;
    const execution = runBlock(
      store,
      kinds.map(([kind], nonce) => transaction({ kind, from: idOf('alice'), to: idOf('contract'), nonce: BigInt(nonce), fee: 2n })),
    );
    kinds.forEach(([, reason, name], index) => {
      assert.equal(execution.statuses[index], ReceiptStatus.FAILED);
      assert.equal(execution.reasons[index], reason);
      assert.equal(execution.messages[index], `kind: ${name} is not enabled on this node; the fee was charged and the nonce consumed`);
    });
    assert.equal(nonceOf(store, idOf('alice')), 5n);
    assert.equal(balanceOf(store, idOf('alice')), 90n);
    assert.equal(balanceOf(store, feeAccount), 10n);
  } finally {
    await dispose();
  }
});

test('an unknown kind number FAILS as MALFORMED, consuming nonce and fee', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    const execution = runBlock(store, [
      transaction({ kind: 0, from: idOf('alice'), nonce: 0n, fee: 1n }),
      transaction({ kind: 99, from: idOf('alice'), nonce: 1n, fee: 1n }),
    ]);
    assert.deepEqual([...execution.reasons], [RejectReason.MALFORMED, RejectReason.MALFORMED]);
    assert.match(execution.messages[1]!, /^kind: 99 is not a transaction kind/);
    assert.equal(nonceOf(store, idOf('alice')), 2n);
    assert.equal(balanceOf(store, idOf('alice')), 98n);
  } finally {
    await dispose();
  }
});
