import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScriptedCluster, TEST_OPTIONS } from './harness.js';

function partitionedNodeReturns(preVote: boolean): ScriptedCluster {
  const cluster = new ScriptedCluster([1, 2, 3], { ...TEST_OPTIONS, preVote, checkQuorum: false });
  cluster.elect(1);
  cluster.isolate(3);
  cluster.tick(3, 100);
  cluster.heal();
  cluster.tickAll(30);
  return cluster;
}

test('with pre-vote, a node returning from a partition does not bump the term or depose the leader', () => {
  const cluster = partitionedNodeReturns(true);
  for (const id of [1, 2, 3]) {
    assert.equal(cluster.status(id).term, 1, `node ${id} term`);
    assert.equal(cluster.status(id).leaderId, 1, `node ${id} follows node 1`);
  }
  assert.equal(cluster.status(1).role, 'leader');
});

test('without pre-vote, the same node returns with a higher term and deposes the leader', () => {
  const cluster = partitionedNodeReturns(false);
  for (const id of [1, 2, 3]) assert.ok(cluster.status(id).term > 1, `node ${id} was pushed to a higher term`);
});

test('pre-votes are refused while a leader is known to be alive, even without check-quorum', () => {
  const cluster = new ScriptedCluster([1, 2, 3], { ...TEST_OPTIONS, preVote: true, checkQuorum: false });
  cluster.elect(1);
  const sentBefore = cluster.sent.length;
  cluster.campaign(3);
  cluster.stabilize();
  const responses = cluster.sent.slice(sentBefore).filter((message) => message.type === 'pre-vote-response');
  assert.equal(responses.length, 2);
  assert.ok(responses.every((message) => message.reject));
  assert.equal(cluster.status(3).term, 1);
  assert.equal(cluster.status(3).role, 'follower');
});
