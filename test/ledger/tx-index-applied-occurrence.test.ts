/**
 * The tx-hash index points at the occurrence of a transaction that was applied (nonce consumed,
 * fee taken); a copy that changed nothing is indexed only while no applied one exists.
 */
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiptStatus, RejectReason } from '../../src/generated/aurigraph.js';
import { openLedgerStore } from '../../src/ledger/index.js';
import { idOf, makeTempDirectory, openTempStore, runBlock, simpleGenesis, transfer } from '../fixtures/ledger/ledger-fixture.js';

test('a transaction that fails NONCE_GAP in block h and commits in block h+1 reads as COMMITTED at h+1, also after reopening', async () => {
  const directory = makeTempDirectory();
  try {
    let store = openLedgerStore(directory);
    store.initGenesis(simpleGenesis({ alice: 100n }));
    const first = transfer(idOf('alice'), idOf('bob'), 10n, 0n, 1n);
    const second = transfer(idOf('alice'), idOf('bob'), 20n, 1n, 1n);

    const early = runBlock(store, [second]);
    assert.equal(early.reasons[0], RejectReason.NONCE_GAP);
    assert.deepEqual([...early.applied], [0]);
    assert.equal(store.getReceipt(second.txHash)!.reason, RejectReason.NONCE_GAP, 'indexed while no applied occurrence exists');

    const later = runBlock(store, [first, second]);
    assert.deepEqual([...later.statuses], [ReceiptStatus.COMMITTED, ReceiptStatus.COMMITTED]);
    assert.deepEqual([...later.applied], [1, 1]);
    const check = () => {
      const found = store.getTransaction(second.txHash)!;
      assert.equal(found.receipt.status, ReceiptStatus.COMMITTED);
      assert.equal(found.receipt.reason, RejectReason.REJECT_REASON_NONE);
      assert.equal(found.receipt.message, '');
      assert.equal(found.receipt.blockHeight, 2n);
      assert.equal(found.receipt.blockIndex, 1);
      assert.deepEqual(found.receipt.stateRoot, later.header.stateRoot);
      assert.deepEqual(Buffer.from(found.storedBytes), Buffer.from(second.storedBytes!));
      assert.equal(store.getReceipt(second.txHash)!.status, ReceiptStatus.COMMITTED);
    };
    check();
    await store.close();
    store = openLedgerStore(directory);
    check();
    await store.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('a gap and its commit in the same block, on 4 shards: the committed copy is indexed', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    const first = transfer(idOf('alice'), idOf('bob'), 10n, 0n);
    const second = transfer(idOf('alice'), idOf('bob'), 20n, 1n);
    const execution = runBlock(store, [second, first, second], 4);
    assert.deepEqual([...execution.reasons], [RejectReason.NONCE_GAP, RejectReason.REJECT_REASON_NONE, RejectReason.REJECT_REASON_NONE]);
    assert.deepEqual([...execution.applied], [0, 1, 1]);
    const receipt = store.getReceipt(second.txHash)!;
    assert.equal(receipt.status, ReceiptStatus.COMMITTED);
    assert.equal(receipt.blockIndex, 2);
  } finally {
    await dispose();
  }
});

test('an applied occurrence is not replaced by later NONCE_REUSED copies, in later blocks or its own', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    const original = transfer(idOf('alice'), idOf('bob'), 10n, 0n, 1n);
    runBlock(store, [original, original]);
    const replays = runBlock(store, [original]);
    assert.equal(replays.reasons[0], RejectReason.NONCE_REUSED);
    assert.deepEqual([...replays.applied], [0]);
    const receipt = store.getReceipt(original.txHash)!;
    assert.equal(receipt.status, ReceiptStatus.COMMITTED);
    assert.equal(receipt.blockHeight, 1n);
    assert.equal(receipt.blockIndex, 0);
  } finally {
    await dispose();
  }
});

test('a FAILED-after-fee occurrence (amount over the balance) stays indexed when replayed', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    const overdrawn = transfer(idOf('alice'), idOf('bob'), 500n, 0n, 2n);
    const charged = runBlock(store, [overdrawn]);
    assert.equal(charged.statuses[0], ReceiptStatus.FAILED);
    assert.equal(charged.reasons[0], RejectReason.INSUFFICIENT_FUNDS);
    assert.deepEqual([...charged.applied], [1], 'the fee was taken and the nonce consumed');
    const replay = runBlock(store, [overdrawn]);
    assert.equal(replay.reasons[0], RejectReason.NONCE_REUSED);
    const receipt = store.getReceipt(overdrawn.txHash)!;
    assert.equal(receipt.status, ReceiptStatus.FAILED);
    assert.equal(receipt.reason, RejectReason.INSUFFICIENT_FUNDS);
    assert.equal(receipt.blockHeight, 1n);
    assert.match(receipt.message, /the fee was charged and the nonce consumed/);
  } finally {
    await dispose();
  }
});

test('copies that changed nothing: the latest is indexed until one is applied', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    const ghost = idOf('ghost');
    const fromGhost = transfer(ghost, idOf('bob'), 0n, 0n, 1n);
    assert.equal(runBlock(store, [fromGhost]).reasons[0], RejectReason.UNKNOWN_ACCOUNT);
    runBlock(store, [transfer(idOf('alice'), ghost, 1n, 0n)]);
    runBlock(store, [transfer(ghost, idOf('bob'), 1n, 0n)]);
    // The ghost's balance is now 0: the fee cannot be paid, nothing is charged, twice.
    const unpaid = transfer(ghost, idOf('bob'), 0n, 1n, 1n);
    for (const height of [4n, 5n]) {
      const execution = runBlock(store, [unpaid]);
      assert.equal(execution.reasons[0], RejectReason.INSUFFICIENT_FUNDS);
      assert.deepEqual([...execution.applied], [0]);
      assert.equal(store.getReceipt(unpaid.txHash)!.blockHeight, height, 'the latest copy that changed nothing');
    }
    runBlock(store, [transfer(idOf('alice'), ghost, 5n, 1n)]);
    const paid = runBlock(store, [unpaid]);
    assert.equal(paid.statuses[0], ReceiptStatus.COMMITTED);
    const receipt = store.getReceipt(unpaid.txHash)!;
    assert.equal(receipt.status, ReceiptStatus.COMMITTED);
    assert.equal(receipt.blockHeight, 7n);
    // The first copy's hash (another nonce) kept its own, unapplied, entry.
    assert.equal(store.getReceipt(fromGhost.txHash)!.reason, RejectReason.UNKNOWN_ACCOUNT);
  } finally {
    await dispose();
  }
});

test('blocks committed together: the later applied copy replaces the earlier one inside the group', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    const first = transfer(idOf('alice'), idOf('bob'), 10n, 0n);
    const second = transfer(idOf('alice'), idOf('bob'), 20n, 1n);
    store.commitTogether(() => {
      runBlock(store, [second]);
      runBlock(store, [first]);
      runBlock(store, [second]);
    });
    const receipt = store.getReceipt(second.txHash)!;
    assert.equal(receipt.status, ReceiptStatus.COMMITTED);
    assert.equal(receipt.blockHeight, 3n);
  } finally {
    await dispose();
  }
});
