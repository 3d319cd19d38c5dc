import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScriptedCluster, TEST_OPTIONS, bytes } from './harness.js';

test('a leader catches a lagging follower up, sends TimeoutNow, and the follower wins the next term', () => {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.elect(1);
  cluster.isolate(3);
  for (let i = 0; i < 5; i++) cluster.propose(1, `e${i}`);
  cluster.stabilize();
  cluster.heal();
  const sentBefore = cluster.sent.length;
  assert.deepEqual(cluster.raw(1).transferLeadership(3), { accepted: true });
  const refused = cluster.raw(1).propose(bytes('during transfer'));
  assert.deepEqual(refused, { accepted: false, reason: 'leader-transfer-in-progress', leaderId: 1 });
  cluster.stabilize();
  assert.equal(cluster.status(3).role, 'leader');
  assert.equal(cluster.status(3).term, 2);
  assert.equal(cluster.status(1).role, 'follower');
  const traffic = cluster.sent.slice(sentBefore);
  const timeoutNow = traffic.findIndex((message) => message.type === 'timeout-now');
  const caughtUp = traffic.findIndex((message) => message.type === 'append-response' && message.from === 3 && message.index === 6);
  assert.ok(caughtUp >= 0 && timeoutNow > caughtUp, 'TimeoutNow only once node 3 holds the whole log');
  assert.ok(!traffic.some((message) => message.type === 'pre-vote'), 'a transfer campaign skips pre-vote');
  assert.ok(traffic.filter((message) => message.type === 'vote').every((message) => message.leaderTransfer));
});

test('a transfer to an unreachable node is abandoned after an election timeout', () => {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.elect(1);
  cluster.isolate(3);
  assert.deepEqual(cluster.raw(1).transferLeadership(3), { accepted: true });
  assert.equal(cluster.status(1).leadTransferee, 3);
  cluster.tickAll(TEST_OPTIONS.electionTicksMin!);
  assert.equal(cluster.status(1).leadTransferee, 0);
  assert.equal(cluster.status(1).role, 'leader');
  assert.ok(cluster.raw(1).propose(bytes('accepted again')).accepted);
});

test('only a leader transfers, and only to another voter', () => {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.elect(1);
  assert.deepEqual(cluster.raw(2).transferLeadership(3), { accepted: false, reason: 'not-leader', leaderId: 1 });
  assert.deepEqual(cluster.raw(1).transferLeadership(1), { accepted: false, reason: 'is-self', leaderId: 1 });
  assert.deepEqual(cluster.raw(1).transferLeadership(9), { accepted: false, reason: 'not-a-voter', leaderId: 1 });
});
