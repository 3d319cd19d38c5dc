import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScriptedCluster, bytes } from './harness.js';

test('proposals made before one Ready travel in one append per follower and commit in order', () => {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.elect(1);
  const sentBefore = cluster.sent.length;
  const positions = [];
  for (let i = 0; i < 10; i++) positions.push(cluster.propose(1, `tx-${i}`));
  assert.deepEqual(positions.map((position) => position.index), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const ready = cluster.processReady(1)!;
  assert.equal(ready.entries.length, 10, 'one disk write for the whole batch');
  const appends = cluster.sent.slice(sentBefore).filter((message) => message.type === 'append');
  assert.equal(appends.length, 2, 'one append per follower');
  for (const append of appends) assert.equal(append.entries.length, 10);
  cluster.stabilize();
  const expected = positions.map((_, i) => `tx-${i}`);
  for (const id of [1, 2, 3]) assert.deepEqual(cluster.appliedData(id), expected);
});

test('the Ready carries entries to persist, a hard state only when it changed, and committed entries to apply', () => {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.elect(1);
  cluster.propose(1, 'x');
  const first = cluster.processReady(1)!;
  assert.equal(first.entries.length, 1);
  assert.equal(first.hardState, null, 'term, vote and commit did not change yet');
  assert.equal(first.mustSync, true);
  assert.equal(first.committedEntries.length, 0, 'not committed before a follower acknowledges');
  cluster.deliver();
  cluster.deliver();
  const applied = cluster.node(1).readies.flatMap((ready) => ready.committedEntries).map((entry) => entry.index);
  assert.ok(applied.includes(2), 'committed after the acknowledgements arrive');
  assert.equal(cluster.raw(1).ready(), null, 'nothing left to do');
});

test('no RawNode call is accepted between ready() and advance()', () => {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.elect(1);
  cluster.propose(1, 'y');
  const raw = cluster.raw(1);
  const ready = raw.ready()!;
  assert.throws(() => raw.tick(), /between ready\(\) and advance\(\)/);
  assert.throws(() => raw.propose(bytes('z')), /between ready\(\) and advance\(\)/);
  cluster.node(1).disk.persistReady(ready);
  raw.advance(ready);
  assert.doesNotThrow(() => raw.tick());
});

test('a follower whose log diverges over many entries is repaired in a few round trips (fast backtracking)', () => {
  const cluster = new ScriptedCluster([1, 2, 3], { electionTicksMin: 10, electionTicksMax: 20, heartbeatTicks: 1, preVote: false, checkQuorum: false, messageEntriesMax: 1000 });
  cluster.elect(1);
  // Node 1 keeps appending 50 entries nobody else gets, in term 1.
  cluster.isolate(1);
  for (let i = 0; i < 50; i++) cluster.propose(1, `lost-${i}`);
  cluster.processReadies();
  // Nodes 2 and 3 move on in term 2 with 20 entries of their own.
  cluster.heal();
  cluster.isolate(1);
  cluster.elect(2);
  for (let i = 0; i < 20; i++) cluster.propose(2, `kept-${i}`);
  cluster.stabilize();
  cluster.heal();
  const sentBefore = cluster.sent.length;
  cluster.tick(2);
  cluster.stabilize();
  const rejections = cluster.sent.slice(sentBefore).filter((message) => message.type === 'append-response' && message.reject && message.from === 1);
  assert.ok(rejections.length <= 2, `expected at most 2 rejections, got ${rejections.length}`);
  assert.deepEqual(cluster.appliedData(1), cluster.appliedData(2));
  assert.equal(cluster.status(1).lastIndex, cluster.status(2).lastIndex);
});

test('append messages respect messageEntriesMax and messageBytesMax', () => {
  const cluster = new ScriptedCluster([1, 2], { electionTicksMin: 10, electionTicksMax: 20, heartbeatTicks: 1, messageEntriesMax: 3, messageBytesMax: 200 });
  cluster.elect(1);
  const sentBefore = cluster.sent.length;
  for (let i = 0; i < 20; i++) cluster.propose(1, 'p'.repeat(30 + i));
  cluster.stabilize();
  const appends = cluster.sent.slice(sentBefore).filter((message) => message.type === 'append' && message.entries.length > 0);
  assert.ok(appends.length >= 7);
  for (const append of appends) {
    assert.ok(append.entries.length <= 3, `append carries ${append.entries.length} entries`);
    const sizeBytes = append.entries.reduce((sum, entry) => sum + entry.data.byteLength + 24, 0);
    assert.ok(sizeBytes <= 200 || append.entries.length === 1, `append carries ${sizeBytes} bytes`);
  }
  assert.equal(cluster.appliedData(2).length, 20);
});
