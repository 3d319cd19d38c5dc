import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiptStatus, RejectReason, TransactionKind } from '../../src/generated/aurigraph.js';
import {
  idOf,
  openTempStore,
  publicKeyBytes,
  registerKeyPayload,
  runBlock,
  selfCertifiedId,
  simpleGenesis,
  transaction,
  transfer,
} from '../fixtures/ledger/ledger-fixture.js';
import { hashBytes } from '../../src/ledger/index.js';

test('a sender without an account fails as UNKNOWN_ACCOUNT; nothing is written', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    const before = store.lastBlock()!.header.stateRoot;
    const execution = runBlock(store, [transfer(idOf('ghost'), idOf('alice'), 0n, 0n)]);
    assert.equal(execution.statuses[0], ReceiptStatus.FAILED);
    assert.equal(execution.reasons[0], RejectReason.UNKNOWN_ACCOUNT);
    assert.match(execution.messages[0]!, /^from: account [0-9a-f]{64} does not exist/);
    assert.equal(execution.writes.length, 0);
    assert.equal(store.readAccount(idOf('ghost')), undefined);
    // An empty write set still advances the root: it chains the block.
    assert.equal(execution.header.stateRoot.length, hashBytes);
    assert.notDeepEqual(execution.header.stateRoot, before);
  } finally {
    await dispose();
  }
});

test('REGISTER_KEY for an id that was never credited is UNKNOWN_ACCOUNT, even when self-certifying', async () => {
  const { store, dispose } = openTempStore(simpleGenesis({ alice: 100n }));
  try {
    const publicKey = publicKeyBytes('fresh');
    const id = selfCertifiedId(publicKey);
    const execution = runBlock(store, [transaction({ kind: TransactionKind.REGISTER_KEY, from: id, nonce: 0n, payload: registerKeyPayload(publicKey) })]);
    assert.equal(execution.reasons[0], RejectReason.UNKNOWN_ACCOUNT);
    assert.equal(store.readAccount(id), undefined);
    // Once credited, the same registration goes through.
    runBlock(store, [transfer(idOf('alice'), id, 1n, 0n)]);
    const retried = runBlock(store, [transaction({ kind: TransactionKind.REGISTER_KEY, from: id, nonce: 0n, payload: registerKeyPayload(publicKey) })]);
    assert.equal(retried.statuses[0], ReceiptStatus.COMMITTED);
  } finally {
    await dispose();
  }
});
