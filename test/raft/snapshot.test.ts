import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScriptedCluster, TEST_OPTIONS, bytes, text } from './harness.js';

/** Node 3 misses entries 2..11 while nodes 1 and 2 apply them and compact their logs. */
function compactedWhileAway(): ScriptedCluster {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.elect(1);
  cluster.isolate(3);
  for (let i = 0; i < 10; i++) cluster.propose(1, `e${i}`);
  cluster.stabilize();
  for (const id of [1, 2]) {
    assert.equal(cluster.status(id).applied, 11);
    assert.equal(cluster.raw(id).compact(11, bytes(`state@11 of node ${id}`)), true);
    cluster.processReadies();
    assert.equal(cluster.node(id).disk.firstIndex(), 12, 'entries up to 11 are gone from storage');
  }
  cluster.heal();
  return cluster;
}

test('a follower whose next entries were compacted away receives InstallSnapshot and catches up', () => {
  const cluster = compactedWhileAway();
  const sentBefore = cluster.sent.length;
  cluster.tick(1);
  cluster.stabilize();
  const snapshots = cluster.sent.slice(sentBefore).filter((message) => message.type === 'snapshot');
  assert.equal(snapshots.length, 1);
  assert.equal(snapshots[0]!.to, 3);
  assert.deepEqual(snapshots[0]!.snapshot!.metadata, { index: 11, term: 1, confState: { voters: [1, 2, 3] } });
  const follower = cluster.node(3);
  const installed = follower.readies.find((ready) => ready.snapshot !== null)!;
  assert.equal(text(installed.snapshot!.data), 'state@11 of node 1');
  assert.equal(installed.hardState?.commit, 11);
  assert.equal(follower.disk.snapshot().metadata.index, 11);
  assert.equal(cluster.status(3).applied, 11);
  // Replication continues from the snapshot with ordinary appends.
  cluster.propose(1, 'after');
  cluster.stabilize();
  assert.deepEqual(cluster.appliedData(3), ['after']);
  assert.equal(cluster.status(1).progress.get(3)!.state, 'replicate');
});

test('a lost snapshot is sent again after an election timeout of silence', () => {
  const cluster = compactedWhileAway();
  cluster.tick(1);
  const snapshotPending = (): number => cluster.pending.findIndex((message) => message.type === 'snapshot');
  for (let round = 0; round < 10 && snapshotPending() < 0; round++) cluster.deliver();
  // The leader has just sent the snapshot; lose it.
  assert.ok(snapshotPending() >= 0, 'a snapshot is on its way');
  cluster.pending.splice(snapshotPending(), 1);
  cluster.stabilize();
  assert.equal(cluster.status(1).progress.get(3)!.state, 'snapshot');
  assert.equal(cluster.status(3).applied, 1);
  cluster.tickAll(TEST_OPTIONS.electionTicksMax! + 2);
  assert.equal(cluster.status(3).applied, 11);
  assert.equal(cluster.status(1).progress.get(3)!.state, 'replicate');
});

test('compact refuses an index beyond what the state machine applied', () => {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.elect(1);
  assert.throws(() => cluster.raw(1).compact(5, bytes('future')), /index: cannot compact at 5 beyond the applied index 1/);
  assert.equal(cluster.raw(1).compact(0, bytes('nothing')), false, 'index 0 is already the snapshot');
});
