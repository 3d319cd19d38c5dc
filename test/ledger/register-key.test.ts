import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyAlgorithm, KeyRole, ReceiptStatus, RejectReason, TransactionKind } from '../../src/generated/aurigraph.js';
import { keysPerAccountMax, type LedgerStore } from '../../src/ledger/index.js';
import {
  balanceOf,
  chainId,
  feeAccount,
  idOf,
  nonceOf,
  openTempStore,
  publicKeyBytes,
  registerKeyPayload,
  runBlock,
  selfCertifiedId,
  transaction,
} from '../fixtures/ledger/ledger-fixture.js';

const ownKey = publicKeyBytes('owner');
const owner = selfCertifiedId(ownKey);

function openWithOwner() {
  return openTempStore({ chainId, feeAccount, allocations: [{ accountId: owner, balance: 1_000n }, { accountId: idOf('plain'), balance: 1_000n }] });
}

function register(store: LedgerStore, from: Uint8Array, payload: Uint8Array, fee = 1n, amount = 0n) {
  const nonce = store.readAccount(from)?.nonce ?? 0n;
  const execution = runBlock(store, [transaction({ kind: TransactionKind.REGISTER_KEY, from, nonce, fee, amount, payload })]);
  return { status: execution.statuses[0], reason: execution.reasons[0], message: execution.messages[0]!, height: execution.header.height };
}

test('the first key certifies itself: SHA-256(public key) = account id; it is stored with its public key', async () => {
  const { store, dispose } = openWithOwner();
  try {
    const outcome = register(store, owner, registerKeyPayload(ownKey));
    assert.equal(outcome.status, ReceiptStatus.COMMITTED);
    const view = store.getAccount(owner)!;
    assert.equal(view.keys.length, 1);
    assert.deepEqual(view.keys[0], {
      keyId: owner,
      role: KeyRole.ACCOUNT_SIGNING,
      algorithm: KeyAlgorithm.ML_DSA_44,
      registeredAtHeight: outcome.height,
      publicKey: ownKey,
    });
    assert.deepEqual(store.getPublicKey(owner), ownKey);
    assert.equal(view.nonce, 1n);
    assert.equal(view.balance, 999n);
  } finally {
    await dispose();
  }
});

test('a first key that does not hash to the account id is KEY_REJECTED; fee charged, nonce consumed, no key', async () => {
  const { store, dispose } = openWithOwner();
  try {
    const outcome = register(store, idOf('plain'), registerKeyPayload(publicKeyBytes('someone else')));
    assert.equal(outcome.status, ReceiptStatus.FAILED);
    assert.equal(outcome.reason, RejectReason.KEY_REJECTED);
    assert.match(outcome.message, /^payload\.publicKey: the first key of an account must certify itself/);
    assert.match(outcome.message, /the fee was charged and the nonce consumed$/);
    const account = store.readAccount(idOf('plain'))!;
    assert.deepEqual(account.keys, []);
    assert.equal(account.nonce, 1n);
    assert.equal(account.balance, 999n);
  } finally {
    await dispose();
  }
});

test('a first key in the BATCH_SUBMITTER role is KEY_REJECTED even when it hashes to the id', async () => {
  const { store, dispose } = openWithOwner();
  try {
    const outcome = register(store, owner, registerKeyPayload(ownKey, KeyRole.BATCH_SUBMITTER));
    assert.equal(outcome.reason, RejectReason.KEY_REJECTED);
    assert.deepEqual(store.readAccount(owner)!.keys, []);
  } finally {
    await dispose();
  }
});

test('later keys need not hash to the id; registering one twice is KEY_REJECTED', async () => {
  const { store, dispose } = openWithOwner();
  try {
    assert.equal(register(store, owner, registerKeyPayload(ownKey)).status, ReceiptStatus.COMMITTED);
    const submitterKey = publicKeyBytes('submitter', 1952);
    const added = register(store, owner, registerKeyPayload(submitterKey, KeyRole.BATCH_SUBMITTER, KeyAlgorithm.ML_DSA_65));
    assert.equal(added.status, ReceiptStatus.COMMITTED);
    const again = register(store, owner, registerKeyPayload(submitterKey, KeyRole.ACCOUNT_SIGNING, KeyAlgorithm.ML_DSA_65));
    assert.equal(again.reason, RejectReason.KEY_REJECTED);
    assert.match(again.message, /^payload\.publicKey: key [0-9a-f]{64} is already registered for this account/);
    const duplicateFirst = register(store, owner, registerKeyPayload(ownKey));
    assert.equal(duplicateFirst.reason, RejectReason.KEY_REJECTED);
    const view = store.getAccount(owner)!;
    assert.deepEqual(
      view.keys.map((key) => [key.role, key.algorithm, key.publicKey.length]),
      [
        [KeyRole.ACCOUNT_SIGNING, KeyAlgorithm.ML_DSA_44, 1312],
        [KeyRole.BATCH_SUBMITTER, KeyAlgorithm.ML_DSA_65, 1952],
      ],
    );
    assert.equal(view.nonce, 4n);
  } finally {
    await dispose();
  }
});

test('a wrong length, a KEM algorithm, an unset role, or undecodable bytes are refused', async () => {
  const { store, dispose } = openWithOwner();
  try {
    const cases: [Uint8Array, number, RegExp][] = [
      [registerKeyPayload(ownKey.subarray(0, 1311)), RejectReason.KEY_REJECTED, /^payload\.publicKey: a ML_DSA_44 public key is 1312 bytes, got 1311/],
      [registerKeyPayload(publicKeyBytes('kem', 1184), KeyRole.ACCOUNT_SIGNING, KeyAlgorithm.ML_KEM_768), RejectReason.KEY_REJECTED, /^payload\.algorithm: /],
      [registerKeyPayload(ownKey, KeyRole.KEY_ROLE_UNSPECIFIED), RejectReason.KEY_REJECTED, /^payload\.role: /],
      [new Uint8Array([0x0a, 0xff]), RejectReason.MALFORMED, /^payload: not a RegisterKeyPayload/],
    ];
    for (const [payload, reason, message] of cases) {
      const outcome = register(store, owner, payload);
      assert.equal(outcome.status, ReceiptStatus.FAILED);
      assert.equal(outcome.reason, reason);
      assert.match(outcome.message, message);
    }
    assert.deepEqual(store.readAccount(owner)!.keys, []);
    assert.equal(nonceOf(store, owner), BigInt(cases.length));
  } finally {
    await dispose();
  }
});

test('REGISTER_KEY moves no units: a non-zero amount is MALFORMED', async () => {
  const { store, dispose } = openWithOwner();
  try {
    const outcome = register(store, owner, registerKeyPayload(ownKey), 1n, 5n);
    assert.equal(outcome.reason, RejectReason.MALFORMED);
    assert.match(outcome.message, /^amount: must be 0 for REGISTER_KEY, got 5/);
    assert.equal(balanceOf(store, owner), 999n);
    assert.deepEqual(store.readAccount(owner)!.keys, []);
  } finally {
    await dispose();
  }
});

test(`an account holds at most ${keysPerAccountMax} keys`, async () => {
  const { store, dispose } = openWithOwner();
  try {
    const payloads = [registerKeyPayload(ownKey)];
    for (let index = 1; index <= keysPerAccountMax; index += 1) {
      payloads.push(registerKeyPayload(publicKeyBytes(`extra ${index}`), KeyRole.BATCH_SUBMITTER));
    }
    const execution = runBlock(
      store,
      payloads.map((payload, nonce) => transaction({ kind: TransactionKind.REGISTER_KEY, from: owner, nonce: BigInt(nonce), payload })),
    );
    assert.deepEqual([...execution.statuses.subarray(0, keysPerAccountMax)], new Array(keysPerAccountMax).fill(ReceiptStatus.COMMITTED));
    assert.equal(execution.reasons[keysPerAccountMax], RejectReason.KEY_REJECTED);
    assert.match(execution.messages[keysPerAccountMax]!, new RegExp(`already holds ${keysPerAccountMax} keys`));
    assert.equal(store.readAccount(owner)!.keys.length, keysPerAccountMax);
    assert.equal(execution.registeredKeys.length, keysPerAccountMax);
  } finally {
    await dispose();
  }
});
