import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyAlgorithm, KeyRole } from '../../src/generated/aurigraph.js';
import {
  type Account,
  accountEncodedBytes,
  accountHeaderBytes,
  accountKeyEntryBytes,
  decodeAccount,
  encodeAccount,
  keysPerAccountMax,
  u64Max,
} from '../../src/ledger/index.js';
import { idOf, publicKeyBytes, selfCertifiedId } from '../fixtures/ledger/ledger-fixture.js';

const id = idOf('encoded');

function accountWithKeys(keyCount: number): Account {
  return {
    id,
    balance: u64Max - 3n,
    nonce: 123_456_789_012n,
    keys: Array.from({ length: keyCount }, (_, index) => ({
      keyId: selfCertifiedId(publicKeyBytes(`key ${index}`)),
      role: index === 0 ? KeyRole.ACCOUNT_SIGNING : KeyRole.BATCH_SUBMITTER,
      algorithm: [KeyAlgorithm.ML_DSA_44, KeyAlgorithm.ML_DSA_65, KeyAlgorithm.ML_DSA_87][index % 3]!,
      registeredAtHeight: BigInt(index * 10),
    })),
  };
}

test('accounts round-trip through their encoding, from no keys to the most keys', () => {
  for (const keyCount of [0, 1, 3, keysPerAccountMax]) {
    const account = accountWithKeys(keyCount);
    const bytes = encodeAccount(account);
    assert.equal(bytes.length, accountEncodedBytes(keyCount));
    assert.equal(bytes.length, accountHeaderBytes + keyCount * accountKeyEntryBytes);
    assert.deepEqual(decodeAccount(id, bytes), account);
  }
});

test('the header layout is fixed: version, key count, zeros, balance and nonce little-endian', () => {
  const bytes = Buffer.from(encodeAccount({ id, balance: 0x0102030405060708n, nonce: 9n, keys: [] }));
  assert.equal(bytes.toString('hex'), '01' + '00' + '000000000000' + '0807060504030201' + '0900000000000000');
});

test('corrupt bytes fail an assertion on decode', () => {
  const good = encodeAccount(accountWithKeys(2));
  const corruptions: [string, (bytes: Uint8Array) => Uint8Array][] = [
    ['unknown format version', (bytes) => ((bytes[0] = 2), bytes)],
    ['key count beyond the bound', (bytes) => ((bytes[1] = keysPerAccountMax + 1), bytes)],
    ['key count that disagrees with the length', (bytes) => ((bytes[1] = 3), bytes)],
    ['non-zero reserved header byte', (bytes) => ((bytes[5] = 1), bytes)],
    ['truncated', (bytes) => bytes.subarray(0, bytes.length - 1)],
    ['shorter than a header', (bytes) => bytes.subarray(0, 10)],
    ['unknown key role', (bytes) => ((bytes[accountHeaderBytes] = 7), bytes)],
    ['KEM algorithm for a key', (bytes) => ((bytes[accountHeaderBytes + 1] = KeyAlgorithm.ML_KEM_768), bytes)],
    ['non-zero reserved key byte', (bytes) => ((bytes[accountHeaderBytes + 3] = 1), bytes)],
    ['keys out of registration order', (bytes) => ((bytes[accountHeaderBytes + 8] = 200), bytes)],
    ['the same key twice', (bytes) => (bytes.copyWithin(accountHeaderBytes + accountKeyEntryBytes + 16, accountHeaderBytes + 16, accountHeaderBytes + 48), bytes)],
  ];
  for (const [name, corrupt] of corruptions) {
    assert.throws(() => decodeAccount(id, corrupt(Uint8Array.from(good))), /^Error: assertion failed: /, name);
  }
});

test('an invalid account fails an assertion on encode, before anything is written', () => {
  const invalid: [string, Account][] = [
    ['balance above 2^64 - 1', { ...accountWithKeys(0), balance: u64Max + 1n }],
    ['negative nonce', { ...accountWithKeys(0), nonce: -1n }],
    ['short id', { ...accountWithKeys(0), id: new Uint8Array(31) }],
    ['too many keys', { ...accountWithKeys(keysPerAccountMax), keys: [...accountWithKeys(keysPerAccountMax).keys, accountWithKeys(1).keys[0]!] }],
    ['unset role', { ...accountWithKeys(1), keys: [{ ...accountWithKeys(1).keys[0]!, role: KeyRole.KEY_ROLE_UNSPECIFIED }] }],
  ];
  for (const [name, account] of invalid) {
    assert.throws(() => encodeAccount(account), /^Error: assertion failed: /, name);
  }
});
