import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryStorage, RawNode } from '../../src/raft/index.js';
import { ScriptedCluster, TEST_OPTIONS } from './harness.js';

test('a node restarts from its persisted hard state and log, and re-applies committed entries', () => {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.elect(1);
  for (const data of ['a', 'b', 'c']) cluster.propose(1, data);
  cluster.stabilize();
  const before = cluster.status(2);
  cluster.crash(2);
  cluster.restart(2);
  const after = cluster.status(2);
  assert.deepEqual([after.term, after.vote, after.commit, after.lastIndex], [before.term, before.vote, before.commit, before.lastIndex]);
  assert.equal(after.applied, 0, 'the state machine restarts from the snapshot (index 0)');
  cluster.processReadies();
  assert.deepEqual(cluster.appliedData(2), ['a', 'b', 'c']);
});

test('entries a leader accepted but never persisted are gone after a crash', () => {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.elect(1);
  const lastIndex = cluster.status(1).lastIndex;
  cluster.propose(1, 'never-written');
  cluster.crash(1);
  cluster.restart(1);
  assert.equal(cluster.status(1).lastIndex, lastIndex);
});

test('appliedIndex skips re-delivery of entries the state machine already holds', () => {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.elect(1);
  for (const data of ['a', 'b', 'c']) cluster.propose(1, data);
  cluster.stabilize();
  const disk = cluster.node(2).disk;
  const raw = new RawNode({ ...TEST_OPTIONS, id: 2, storage: disk, appliedIndex: 3 });
  const ready = raw.ready()!;
  assert.deepEqual(ready.committedEntries.map((entry) => entry.index), [4]);
  assert.throws(() => new RawNode({ ...TEST_OPTIONS, id: 2, storage: disk, appliedIndex: 9 }), /applied index 9 must be within/);
});

test('membership changes applied after the last snapshot are replayed from the log at restart', () => {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.elect(1);
  cluster.addNode(4, [1, 2, 3]);
  const change = cluster.raw(1).proposeConfChange({ type: 'add', nodeId: 4 });
  assert.ok(change.accepted);
  cluster.stabilize();
  assert.deepEqual(cluster.status(2).voters, [1, 2, 3, 4]);
  const applied = cluster.status(2).applied;
  const raw = new RawNode({ ...TEST_OPTIONS, id: 2, storage: cluster.node(2).disk, appliedIndex: applied });
  assert.deepEqual(raw.status().voters, [1, 2, 3, 4]);
  // Without the change applied, the restarted node still has the old membership until it applies it.
  const fresh = new RawNode({ ...TEST_OPTIONS, id: 2, storage: cluster.node(2).disk });
  assert.deepEqual(fresh.status().voters, [1, 2, 3]);
  const ready = fresh.ready()!;
  cluster.node(2).disk.persistReady(ready);
  fresh.advance(ready);
  assert.deepEqual(fresh.status().voters, [1, 2, 3, 4]);
});

test('MemoryStorage.restore rebuilds storage from what a runtime read back from disk', () => {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.elect(1);
  cluster.propose(1, 'x');
  cluster.stabilize();
  const disk = cluster.node(3).disk;
  const copy = MemoryStorage.restore(disk.snapshot(), disk.hardState(), disk.allEntries());
  assert.deepEqual(copy.hardState(), disk.hardState());
  assert.equal(copy.lastIndex(), disk.lastIndex());
  assert.deepEqual(copy.entries(1, copy.lastIndex() + 1, 1 << 20), disk.entries(1, disk.lastIndex() + 1, 1 << 20));
  assert.throws(() => MemoryStorage.bootstrap([]), /voters: a new cluster needs at least one voter/);
});
