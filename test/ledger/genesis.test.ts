import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { KeyAlgorithm, KeyRole } from '../../src/generated/aurigraph.js';
import { AurigraphError } from '../../src/errors.js';
import { type Genesis, encodeBlockHeader, genesisState, openLedgerStore, u64Max, zeroHash } from '../../src/ledger/index.js';
import { chainId, feeAccount, idOf, makeTempDirectory, publicKeyBytes, simpleGenesis } from '../fixtures/ledger/ledger-fixture.js';
import { rmSync } from 'node:fs';

function sha256(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(crypto.createHash('sha256').update(Buffer.concat(parts)).digest());
}

function u64le(value: bigint): Uint8Array {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(value);
  return bytes;
}

test('genesis state root: H("aurigraph/state/v1" || 0^32 || H(sorted id || balance || nonce || keys digest))', () => {
  const [low, high] = [idOf('a'), idOf('b')].sort(Buffer.compare);
  const state = genesisState({ chainId, feeAccount, allocations: [{ accountId: high!, balance: 5n }, { accountId: low!, balance: 7n }] });
  const writeSet = sha256(low!, u64le(7n), u64le(0n), zeroHash, high!, u64le(5n), u64le(0n), zeroHash);
  const expected = sha256(new TextEncoder().encode('aurigraph/state/v1'), zeroHash, writeSet);
  assert.deepEqual(state.header.stateRoot, expected);
  assert.deepEqual(state.blockHash, sha256(encodeBlockHeader(state.header)));
  assert.deepEqual(state.accounts.map((account) => account.id), [low, high]);
  assert.equal(state.header.height, 0n);
  assert.deepEqual(state.header.parentHash, zeroHash);
  assert.deepEqual(state.header.transactionsRoot, state.documentDigest);
});

test('the genesis hash commits to chain id, fee account, balances and keys, not to allocation order', () => {
  const base = simpleGenesis({ alice: 10n, bob: 20n });
  const hash = genesisState(base).blockHash;
  assert.deepEqual(genesisState({ ...base, allocations: [...base.allocations].reverse() }).blockHash, hash);
  assert.notDeepEqual(genesisState({ ...base, chainId: chainId + 1 }).blockHash, hash);
  assert.notDeepEqual(genesisState({ ...base, feeAccount: idOf('other fees') }).blockHash, hash);
  assert.notDeepEqual(genesisState(simpleGenesis({ alice: 10n, bob: 21n })).blockHash, hash);
  const withKey: Genesis = {
    ...base,
    allocations: [{ ...base.allocations[0]!, keys: [{ role: KeyRole.ACCOUNT_SIGNING, algorithm: KeyAlgorithm.ML_DSA_44, publicKey: publicKeyBytes('k') }] }, base.allocations[1]!],
  };
  assert.notDeepEqual(genesisState(withKey).blockHash, hash);
});

test('initGenesis is idempotent, and a different genesis fails naming the data directory', async () => {
  const directory = makeTempDirectory();
  try {
    const genesis = simpleGenesis({ alice: 10n, bob: 20n });
    let store = openLedgerStore(directory);
    const first = store.initGenesis(genesis);
    assert.equal(first.created, true);
    const again = store.initGenesis(genesis);
    assert.equal(again.created, false);
    assert.deepEqual(again.genesisHash, first.genesisHash);
    assert.deepEqual(again.stateRoot, first.stateRoot);
    await store.close();

    store = openLedgerStore(directory);
    assert.equal(store.initGenesis(genesis).created, false);
    assert.equal(store.appliedIndex(), 0n);
    assert.throws(
      () => store.initGenesis(simpleGenesis({ alice: 10n, bob: 21n })),
      (error: unknown) => {
        assert.ok(error instanceof AurigraphError);
        assert.equal(error.kind, 'failed_precondition');
        assert.equal(error.field, 'genesis');
        assert.ok(error.message.includes(`data directory ${directory}`), error.message);
        assert.ok(error.message.includes(Buffer.from(first.genesisHash).toString('hex')), error.message);
        return true;
      },
    );
    assert.equal(store.readAccount(idOf('bob'))!.balance, 20n);
    await store.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('a total supply above 2^64 - 1 is refused, naming genesis.allocations', () => {
  assert.throws(
    () => genesisState(simpleGenesis({ alice: u64Max, bob: 1n })),
    (error: unknown) => error instanceof AurigraphError && error.field === 'genesis.allocations' && /total supply 18446744073709551616 exceeds 2\^64 - 1/.test(error.message),
  );
  // Exactly 2^64 - 1 is allowed.
  assert.equal(genesisState(simpleGenesis({ alice: u64Max - 1n, bob: 1n })).accounts.length, 2);
});

test('bad allocations are refused with the field at fault', () => {
  const cases: [Genesis, string][] = [
    [{ chainId: -1, feeAccount, allocations: [] }, 'genesis.chainId'],
    [{ chainId, feeAccount: new Uint8Array(31), allocations: [] }, 'genesis.feeAccount'],
    [{ chainId, feeAccount, allocations: [{ accountId: new Uint8Array(33), balance: 1n }] }, 'genesis.allocations[0].accountId'],
    [{ chainId, feeAccount, allocations: [{ accountId: idOf('a'), balance: -1n }] }, 'genesis.allocations[0].balance'],
    [{ chainId, feeAccount, allocations: [{ accountId: idOf('a'), balance: 1n }, { accountId: idOf('a'), balance: 2n }] }, 'genesis.allocations[1].accountId'],
    [
      { chainId, feeAccount, allocations: [{ accountId: idOf('a'), balance: 1n, keys: [{ role: KeyRole.ACCOUNT_SIGNING, algorithm: KeyAlgorithm.ML_DSA_65, publicKey: publicKeyBytes('k') }] }] },
      'genesis.allocations[0].keys[0].publicKey',
    ],
    [
      { chainId, feeAccount, allocations: [{ accountId: idOf('a'), balance: 1n, keys: [{ role: KeyRole.ACCOUNT_SIGNING, algorithm: KeyAlgorithm.ML_KEM_768, publicKey: publicKeyBytes('k', 1184) }] }] },
      'genesis.allocations[0].keys[0].algorithm',
    ],
  ];
  for (const [genesis, field] of cases) {
    assert.throws(() => genesisState(genesis), (error: unknown) => error instanceof AurigraphError && error.kind === 'invalid_argument' && error.field === field, field);
  }
});

test('genesis keys are registered with their public keys at height 0', async () => {
  const directory = makeTempDirectory();
  const store = openLedgerStore(directory);
  try {
    const publicKey = publicKeyBytes('treasury submitter');
    store.initGenesis({
      chainId,
      feeAccount,
      allocations: [{ accountId: idOf('treasury'), balance: 1n, keys: [{ role: KeyRole.BATCH_SUBMITTER, algorithm: KeyAlgorithm.ML_DSA_44, publicKey }] }],
    });
    const view = store.getAccount(idOf('treasury'))!;
    assert.equal(view.keys.length, 1);
    assert.deepEqual(view.keys[0]!.publicKey, publicKey);
    assert.equal(view.keys[0]!.registeredAtHeight, 0n);
    assert.equal(view.keys[0]!.role, KeyRole.BATCH_SUBMITTER);
  } finally {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
