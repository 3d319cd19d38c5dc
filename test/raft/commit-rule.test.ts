import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScriptedCluster, TEST_OPTIONS, text } from './harness.js';

/**
 * Figure 8 of the Raft paper, scripted on five nodes. Entry "x" (index 2, term 1) is on nodes 1
 * and 2 only; node 5 holds a different entry at index 2 from term 2. Node 1, leader again in
 * term 3, copies "x" to nodes 3 and 4 one entry per message, and crashes after their
 * acknowledgements arrive but before its own no-op reaches them. Node 5 can then win term 4.
 */
function figure8(unsafeCommitPreviousTermEntries: boolean): ScriptedCluster {
  const options = { ...TEST_OPTIONS, preVote: false, checkQuorum: false, messageEntriesMax: 1, unsafeCommitPreviousTermEntries };
  const cluster = new ScriptedCluster([1, 2, 3, 4, 5], options);
  cluster.elect(1);
  for (const id of [3, 4, 5]) cluster.block(1, id);
  cluster.propose(1, 'x');
  cluster.stabilize();
  assert.equal(cluster.node(2).disk.lastIndex(), 2);
  cluster.crash(1);
  cluster.heal();

  // Node 5 wins term 2 with votes from 3 and 4, appends its no-op at index 2, and crashes at once.
  cluster.campaign(5);
  cluster.deliver();
  cluster.deliver((message) => message.type === 'vote-response');
  assert.equal(cluster.status(5).role, 'leader');
  assert.equal(cluster.status(5).term, 2);
  cluster.dropPendingFrom(5);
  cluster.crash(5);

  // Node 1 returns. Its first campaign (term 2) fails, since 3 and 4 voted for 5 in term 2; its
  // second wins term 3 with votes from 3 and 4 (its log ends at index 2, term 1, theirs at 1).
  cluster.restart(1);
  cluster.block(1, 2);
  for (let attempt = 0; attempt < 2; attempt++) {
    cluster.campaign(1);
    cluster.deliver();
    cluster.deliver((message) => message.type === 'vote-response');
  }
  assert.equal(cluster.status(1).role, 'leader');
  assert.equal(cluster.status(1).term, 3);
  // Replicate to nodes 3 and 4 until both acknowledged "x" at index 2, not yet the no-op at 3.
  for (let round = 0; round < 20; round++) {
    const progress = cluster.status(1).progress;
    if (progress.get(3)!.match >= 2 && progress.get(4)!.match >= 2) break;
    cluster.deliver();
  }
  assert.equal(cluster.node(3).disk.lastIndex(), 2);
  assert.equal(cluster.node(4).disk.lastIndex(), 2);
  cluster.dropPendingFrom(1);
  cluster.crash(1);
  cluster.heal();

  // Node 5 returns: its last entry (index 2, term 2) beats nodes 2-4 (index 2, term 1).
  cluster.restart(5);
  cluster.elect(5);
  cluster.stabilize();
  return cluster;
}

test('§5.4.2: a leader does not commit an entry of an earlier term by counting replicas', () => {
  const cluster = figure8(false);
  // Node 1 never considered "x" committed, so nobody applied it; node 5's entry wins index 2.
  assert.ok(!cluster.node(1).applied.some((entry) => text(entry.data) === 'x'));
  const indexTwo = cluster.node(3).applied.find((entry) => entry.index === 2)!;
  assert.equal(indexTwo.term, 2);
  for (const id of [2, 3, 4, 5]) assert.ok(!cluster.appliedData(id).includes('x'));
});

test('the test-only unsafe switch breaks the rule: "x" is applied by node 1 and then overwritten', () => {
  const cluster = figure8(true);
  const appliedAtTwo = new Map<number, number>();
  for (const id of [1, 3, 4, 5]) {
    const entry = cluster.node(id).applied.find((applied) => applied.index === 2);
    if (entry !== undefined) appliedAtTwo.set(id, entry.term);
  }
  // Node 1 applied (2, term 1) before crashing; the others applied (2, term 2): two different
  // entries applied at one index, the safety violation Figure 8 describes.
  assert.equal(appliedAtTwo.get(1), 1);
  assert.equal(appliedAtTwo.get(3), 2);
});
