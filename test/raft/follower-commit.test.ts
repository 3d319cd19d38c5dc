import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryStorage, RawNode, makeMessage, type Entry } from '../../src/raft/index.js';
import { bytes } from './harness.js';

function entry(index: number, term: number, data: string): Entry {
  return { index, term, type: 'normal', data: bytes(data) };
}

test('a follower commits only up to the last entry the append vouched for, not its own stale tail', () => {
  // The follower holds entries 1..5, where 4 and 5 come from a term-2 leader that lost.
  const storage = MemoryStorage.bootstrap([1, 2, 3]);
  storage.append([entry(1, 1, 'a'), entry(2, 1, 'b'), entry(3, 1, 'c'), entry(4, 2, 'stale-d'), entry(5, 2, 'stale-e')]);
  storage.setHardState({ term: 3, vote: 0, commit: 0 });
  const follower = new RawNode({ id: 2, storage });
  // The term-3 leader's log has 1..3 from term 1, then its own entries; it is at commit 6.
  follower.step(makeMessage({ type: 'append', from: 1, to: 2, term: 3, index: 1, logTerm: 1, entries: [entry(2, 1, 'b')], commit: 6 }));
  const ready = follower.ready()!;
  assert.equal(ready.hardState?.commit, 2, 'commit = min(leader commit, last new index) = 2');
  assert.deepEqual(ready.committedEntries.map((applied) => applied.index), [1, 2]);
  const response = ready.messages[0]!;
  assert.deepEqual([response.type, response.index, response.reject], ['append-response', 2, false]);
});

test('a follower rejects an append whose previous entry it lacks, with a hint that skips the whole mismatching term', () => {
  const storage = MemoryStorage.bootstrap([1, 2, 3]);
  storage.append([entry(1, 1, 'a'), entry(2, 2, 'x'), entry(3, 2, 'y'), entry(4, 2, 'z')]);
  storage.setHardState({ term: 3, vote: 0, commit: 1 });
  const follower = new RawNode({ id: 2, storage });
  follower.step(makeMessage({ type: 'append', from: 1, to: 2, term: 4, index: 6, logTerm: 3, entries: [], commit: 1 }));
  const response = follower.ready()!.messages.find((message) => message.type === 'append-response')!;
  assert.equal(response.reject, true);
  assert.equal(response.index, 6);
  // Our last index 4 has term 2 ≤ 3: the logs may agree there, so the leader can jump to it.
  assert.deepEqual([response.rejectHint, response.logTerm], [4, 2]);
});
