/**
 * The LMDB value of an account: a fixed 24-byte header, then one fixed 48-byte entry per key.
 * All integers little-endian.
 *
 *   offset  0  format version   u8 (1)
 *           1  key count        u8 (≤ keysPerAccountMax)
 *           2  reserved         6 bytes, zero
 *           8  balance          u64
 *          16  nonce            u64
 *          24  keys, each 48 bytes:
 *                +0  role                 u8
 *                +1  algorithm            u8
 *                +2  reserved             6 bytes, zero
 *                +8  registered at height u64
 *               +16  key id               32 bytes
 *
 * Public keys are not in the record: an ML-DSA-87 key is 2,592 bytes, and every block rewrites
 * each account it touches, so inline keys would turn a 72-byte balance update into an LMDB
 * overflow page. The store keeps public keys once per key id instead (written when registered,
 * never rewritten).
 *
 * Both directions assert the same invariants, so a corrupt value fails loudly where it is read
 * and a bad account can never be written.
 */
import { assert } from '../errors.js';
import { type Account, type AccountKey, isAccountKeyRole, keysPerAccountMax, signingPublicKeyBytes } from './account.js';
import { accountIdBytes, bytesEqual, hashBytes, isU64, sha256, zeroHash } from './bytes.js';

export const accountFormatVersion = 1;
export const accountHeaderBytes = 24;
export const accountKeyEntryBytes = 48;

export function accountEncodedBytes(keyCount: number): number {
  return accountHeaderBytes + keyCount * accountKeyEntryBytes;
}

export function encodeAccount(account: Account): Uint8Array {
  checkAccount(account);
  const bytes = new Uint8Array(accountEncodedBytes(account.keys.length));
  const view = new DataView(bytes.buffer);
  bytes[0] = accountFormatVersion;
  bytes[1] = account.keys.length;
  view.setBigUint64(8, account.balance, true);
  view.setBigUint64(16, account.nonce, true);
  writeKeyEntries(account.keys, bytes, accountHeaderBytes);
  return bytes;
}

/** Decodes the value stored under `id`; the account keeps `id` and views onto `bytes`. */
export function decodeAccount(id: Uint8Array, bytes: Uint8Array): Account {
  assert(id.length === accountIdBytes, `account id is ${accountIdBytes} bytes, got ${id.length}`);
  assert(bytes.length >= accountHeaderBytes, `account record is at least ${accountHeaderBytes} bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert(bytes[0] === accountFormatVersion, `account record format ${bytes[0]}, expected ${accountFormatVersion}`);
  const keyCount = bytes[1]!;
  assert(keyCount <= keysPerAccountMax, `account record has ${keyCount} keys, at most ${keysPerAccountMax} allowed`);
  assert(allZero(bytes, 2, 8), 'account record reserved bytes 2..8 are zero');
  assert(
    bytes.length === accountEncodedBytes(keyCount),
    `account record with ${keyCount} keys is ${accountEncodedBytes(keyCount)} bytes, got ${bytes.length}`,
  );
  const keys: AccountKey[] = [];
  for (let index = 0; index < keyCount; index += 1) {
    const offset = accountHeaderBytes + index * accountKeyEntryBytes;
    assert(allZero(bytes, offset + 2, offset + 8), `account key ${index} reserved bytes are zero`);
    keys.push({
      role: bytes[offset]! as AccountKey['role'],
      algorithm: bytes[offset + 1]! as AccountKey['algorithm'],
      registeredAtHeight: view.getBigUint64(offset + 8, true),
      keyId: bytes.subarray(offset + 16, offset + 16 + hashBytes),
    });
  }
  const account: Account = { id, balance: view.getBigUint64(8, true), nonce: view.getBigUint64(16, true), keys };
  checkAccount(account);
  return account;
}

/**
 * What the state root commits to about an account's keys: 32 zero bytes for an account without
 * keys (most accounts, so no hash is spent on them), otherwise SHA-256 over the key entries in
 * the record layout above. The key id commits to the public key. The bytes returned are
 * shared: copy them, never modify them.
 */
export function accountKeysDigest(keys: readonly AccountKey[]): Uint8Array {
  if (keys.length === 0) return zeroHash;
  const bytes = new Uint8Array(keys.length * accountKeyEntryBytes);
  writeKeyEntries(keys, bytes, 0);
  // Every block's state root hashes the keys of every account it changed, and keys rarely
  // change: the digest is remembered by the entries' bytes (a pure function of them, so the
  // memo cannot change a root). Bounded: cleared when full.
  const memoKey = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const known = keysDigestMemo.get(memoKey);
  if (known !== undefined) return known;
  const digest = sha256(bytes);
  if (keysDigestMemo.size >= keysDigestMemoEntriesMax) keysDigestMemo.clear();
  keysDigestMemo.set(memoKey, digest);
  return digest;
}

/** Distinct key sets remembered per thread: 16,384 × (a key of up to 768 bytes + the 32-byte digest), under 14 MB. */
const keysDigestMemoEntriesMax = 16_384;
const keysDigestMemo = new Map<string, Uint8Array>();

/** The account invariants: what encode checks before writing and decode checks after reading. */
export function checkAccount(account: Account): void {
  assert(account.id instanceof Uint8Array && account.id.length === accountIdBytes, `account id is ${accountIdBytes} bytes`);
  assert(isU64(account.balance), `account balance ${account.balance} is a u64`);
  assert(isU64(account.nonce), `account nonce ${account.nonce} is a u64`);
  assert(Array.isArray(account.keys) && account.keys.length <= keysPerAccountMax, `an account holds at most ${keysPerAccountMax} keys`);
  let previousHeight = 0n;
  account.keys.forEach((key, index) => {
    assert(isAccountKeyRole(key.role), `account key ${index} has role ${key.role}, not ACCOUNT_SIGNING or BATCH_SUBMITTER`);
    assert(signingPublicKeyBytes(key.algorithm) !== undefined, `account key ${index} has algorithm ${key.algorithm}, not an ML-DSA one`);
    assert(key.keyId instanceof Uint8Array && key.keyId.length === hashBytes, `account key ${index} id is ${hashBytes} bytes`);
    assert(isU64(key.registeredAtHeight), `account key ${index} height is a u64`);
    assert(key.registeredAtHeight >= previousHeight, `account keys are in registration order (key ${index})`);
    previousHeight = key.registeredAtHeight;
    for (let earlier = 0; earlier < index; earlier += 1) {
      assert(!bytesEqual(account.keys[earlier]!.keyId, key.keyId), `account keys ${earlier} and ${index} have the same id`);
    }
  });
}

function writeKeyEntries(keys: readonly AccountKey[], bytes: Uint8Array, start: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  keys.forEach((key, index) => {
    const offset = start + index * accountKeyEntryBytes;
    bytes[offset] = key.role;
    bytes[offset + 1] = key.algorithm;
    view.setBigUint64(offset + 8, key.registeredAtHeight, true);
    bytes.set(key.keyId, offset + 16);
  });
}

function allZero(bytes: Uint8Array, start: number, end: number): boolean {
  for (let index = start; index < end; index += 1) if (bytes[index] !== 0) return false;
  return true;
}
