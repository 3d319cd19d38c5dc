import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScriptedCluster } from './harness.js';

test('adding a node: it catches up from the log and counts toward the quorum once the change is applied', () => {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.elect(1);
  cluster.propose(1, 'before');
  cluster.stabilize();
  // A joining node bootstraps with the founding voters; it learns the rest from the log.
  cluster.addNode(4, [1, 2, 3]);
  const result = cluster.raw(1).proposeConfChange({ type: 'add', nodeId: 4 });
  assert.ok(result.accepted);
  cluster.stabilize();
  cluster.tick(1);
  cluster.stabilize();
  for (const id of [1, 2, 3, 4]) assert.deepEqual(cluster.status(id).voters, [1, 2, 3, 4]);
  assert.deepEqual(cluster.appliedData(4), ['before']);
  // With four voters a quorum is three: nodes 1 and 2 alone cannot commit.
  cluster.isolate(3);
  cluster.isolate(4);
  const position = cluster.propose(1, 'needs three');
  cluster.stabilize();
  assert.ok(cluster.status(1).commit < position.index);
  cluster.heal();
  cluster.tick(1);
  cluster.stabilize();
  assert.ok(cluster.status(1).commit >= position.index);
  assert.deepEqual(cluster.appliedData(4), ['before', 'needs three']);
});

test('removing a node: the rest commit without it, and it never campaigns', () => {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.elect(1);
  assert.ok(cluster.raw(1).proposeConfChange({ type: 'remove', nodeId: 3 }).accepted);
  cluster.stabilize();
  assert.deepEqual(cluster.status(1).voters, [1, 2]);
  assert.deepEqual(cluster.status(3).voters, [1, 2]);
  assert.equal(cluster.status(1).progress.has(3), false);
  cluster.propose(1, 'two voters');
  cluster.stabilize();
  assert.deepEqual(cluster.appliedData(2), ['two voters']);
  const term = cluster.status(3).term;
  cluster.isolate(3);
  cluster.tick(3, 100);
  assert.equal(cluster.status(3).role, 'follower');
  assert.equal(cluster.status(3).term, term);
});

test('a leader that removes itself steps down and the remaining voters elect a new leader', () => {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.elect(1);
  assert.ok(cluster.raw(1).proposeConfChange({ type: 'remove', nodeId: 1 }).accepted);
  cluster.stabilize();
  assert.equal(cluster.status(1).role, 'follower');
  cluster.tickAll(40);
  const leader = [2, 3].find((id) => cluster.status(id).role === 'leader');
  assert.ok(leader !== undefined);
  cluster.propose(leader, 'after removal');
  cluster.stabilize();
  assert.deepEqual(cluster.appliedData(leader === 2 ? 3 : 2), ['after removal']);
});

test('one membership change at a time, none before the new leader applied its no-op, none that changes nothing', () => {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.campaign(1);
  // Deliver only the election traffic: the new leader's appends (and its no-op) stay in flight.
  while (cluster.status(1).role !== 'leader') {
    assert.ok(cluster.deliver((message) => message.type !== 'append') > 0, 'the election must progress');
  }
  assert.deepEqual(cluster.raw(1).proposeConfChange({ type: 'remove', nodeId: 3 }), { accepted: false, reason: 'conf-change-pending', leaderId: 1 });
  cluster.stabilize();
  assert.ok(cluster.raw(1).proposeConfChange({ type: 'remove', nodeId: 3 }).accepted);
  assert.deepEqual(cluster.raw(1).proposeConfChange({ type: 'remove', nodeId: 2 }), { accepted: false, reason: 'conf-change-pending', leaderId: 1 });
  cluster.stabilize();
  assert.deepEqual(cluster.raw(1).proposeConfChange({ type: 'add', nodeId: 2 }), { accepted: false, reason: 'conf-change-ineffective', leaderId: 1 });
  assert.deepEqual(cluster.raw(2).proposeConfChange({ type: 'add', nodeId: 3 }), { accepted: false, reason: 'not-leader', leaderId: 1 });
});
