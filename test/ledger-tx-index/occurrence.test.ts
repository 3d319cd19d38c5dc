import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareOccurrences, isApplied, preferredOccurrence } from '../../src/ledger/tx-index/occurrence.js';
import { entryOf } from './run-fixture.js';

test('the applied occurrence wins over any other, earlier or later', () => {
  const applied = entryOf(5n, 2, true);
  for (const other of [entryOf(1n, 0, false), entryOf(5n, 1, false), entryOf(5n, 3, false), entryOf(900n, 0, false)]) {
    assert.equal(preferredOccurrence(applied, other), applied);
    assert.equal(preferredOccurrence(other, applied), applied);
  }
});

test('without an applied occurrence the latest wins: greater height, then greater index', () => {
  const early = entryOf(5n, 900, false);
  const sameHeightLater = entryOf(5n, 901, false);
  const laterHeight = entryOf(6n, 0, false);
  assert.equal(preferredOccurrence(early, sameHeightLater), sameHeightLater);
  assert.equal(preferredOccurrence(sameHeightLater, early), sameHeightLater);
  assert.equal(preferredOccurrence(sameHeightLater, laterHeight), laterHeight);
  assert.equal(preferredOccurrence(laterHeight, early), laterHeight);
  // Heights compare as u64, not by their low bytes.
  const high = entryOf(1n << 40n, 0, false);
  const low = entryOf(0xffff_ffffn, 0xffff_ffff, false);
  assert.equal(preferredOccurrence(low, high), high);
});

test('two different applied occurrences of one hash fail an assertion naming both', () => {
  assert.throws(() => preferredOccurrence(entryOf(5n, 2, true), entryOf(7n, 1, true)), /applied twice, at block 5 index 2 and at block 7 index 1/);
});

test('the same occurrence twice is one occurrence; recorded as both applied and not, it fails', () => {
  const entry = entryOf(5n, 2, true);
  assert.equal(compareOccurrences(entry, 0, entryOf(5n, 2, true), 0), 0);
  assert.equal(preferredOccurrence(entry, entryOf(5n, 2, true)), entry);
  assert.throws(() => preferredOccurrence(entry, entryOf(5n, 2, false)), /both as applied and as not applied/);
});

test('entries are compared in place at their offsets', () => {
  const records = new Uint8Array(3 + 13 + 13);
  records.set(entryOf(9n, 1, false), 3);
  records.set(entryOf(9n, 4, false), 16);
  assert.ok(compareOccurrences(records, 3, records, 16) < 0);
  assert.ok(compareOccurrences(records, 16, records, 3) > 0);
});

test('malformed entries fail an assertion', () => {
  const badFlag = entryOf(1n, 1, false);
  badFlag[12] = 2;
  assert.throws(() => preferredOccurrence(badFlag, entryOf(1n, 2, false)), /applied flag is 0 or 1/);
  assert.throws(() => preferredOccurrence(new Uint8Array(12), entryOf(1n, 2, false)), /13 bytes/);
  assert.throws(() => isApplied(badFlag), /applied flag is 0 or 1/);
  assert.equal(isApplied(entryOf(1n, 1, true)), true);
  assert.equal(isApplied(entryOf(1n, 1, false)), false);
});
