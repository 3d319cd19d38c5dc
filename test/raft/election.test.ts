import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScriptedCluster, TEST_OPTIONS } from './harness.js';

test('a campaigning node wins, appends a no-op in its term, and every node commits it', () => {
  const cluster = new ScriptedCluster([1, 2, 3]);
  cluster.elect(1);
  for (const id of [1, 2, 3]) {
    const status = cluster.status(id);
    assert.equal(status.term, 1);
    assert.equal(status.leaderId, 1);
    assert.equal(status.commit, 1, `node ${id} commits the no-op`);
    const noop = cluster.node(id).applied[0]!;
    assert.deepEqual([noop.index, noop.term, noop.type, noop.data.byteLength], [1, 1, 'normal', 0]);
  }
  assert.equal(cluster.status(2).role, 'follower');
  assert.equal(cluster.status(2).vote, 1);
});

test('a follower that hears from nobody campaigns after a randomised timeout in [min, max)', () => {
  const options = { ...TEST_OPTIONS, electionTicksMin: 10, electionTicksMax: 20, preVote: false };
  const timeouts = new Set<number>();
  for (let seedNode = 1; seedNode <= 12; seedNode++) {
    const cluster = new ScriptedCluster([seedNode, 100 + seedNode, 200 + seedNode], options);
    let ticks = 0;
    while (cluster.status(seedNode).role === 'follower') {
      cluster.raw(seedNode).tick();
      ticks += 1;
      assert.ok(ticks < 20, 'must campaign before electionTicksMax');
    }
    assert.ok(ticks >= 10, `campaigned after ${ticks} ticks, below electionTicksMin`);
    assert.equal(cluster.status(seedNode).role, 'candidate');
    assert.equal(cluster.status(seedNode).term, 1);
    timeouts.add(ticks);
  }
  assert.ok(timeouts.size > 1, 'timeouts must vary between nodes');
});

test('a node with a stale log cannot win: voters refuse logs less up to date than theirs', () => {
  const cluster = new ScriptedCluster([1, 2, 3], { ...TEST_OPTIONS, preVote: false });
  cluster.elect(1);
  cluster.isolate(3);
  cluster.propose(1, 'a');
  cluster.stabilize();
  cluster.heal();
  const sentBefore = cluster.sent.length;
  cluster.campaign(3);
  cluster.stabilize();
  const responses = cluster.sent.slice(sentBefore).filter((message) => message.type === 'vote-response' && message.to === 3);
  assert.equal(responses.length, 2);
  assert.ok(responses.every((message) => message.reject), 'both voters refuse node 3, which lacks entry 2');
  assert.equal(cluster.status(3).role, 'follower', 'a lost election ends as follower');
  assert.equal(cluster.status(3).term, 2);
  // The higher term deposed node 1; a node holding entry 2 wins the next election.
  cluster.tickAll(40);
  const leaders = [1, 2, 3].filter((id) => cluster.status(id).role === 'leader');
  assert.equal(leaders.length, 1);
  assert.notEqual(leaders[0], 3);
  assert.deepEqual(cluster.appliedData(3), ['a']);
});

test('a leader with check-quorum steps down when it stops hearing from a majority', () => {
  const cluster = new ScriptedCluster([1, 2, 3], { ...TEST_OPTIONS, checkQuorum: true });
  cluster.elect(1);
  cluster.isolate(1);
  cluster.tick(1, 2 * 10 + 1);
  assert.equal(cluster.status(1).role, 'follower');
  assert.equal(cluster.status(1).leaderId, 0);
});

test('a single-node cluster elects itself and commits proposals in the same Ready', () => {
  const cluster = new ScriptedCluster([1]);
  cluster.campaign(1);
  assert.equal(cluster.status(1).role, 'leader');
  cluster.propose(1, 'solo');
  cluster.processReadies();
  assert.deepEqual(cluster.appliedData(1), ['solo']);
});
