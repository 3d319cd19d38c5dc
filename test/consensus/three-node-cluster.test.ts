/**
 * The story of one real 3-node cluster on loopback (three node processes, real gRPC, real LMDB),
 * told in order; each test continues from where the previous one left the cluster.
 *
 *   node-1  the archive: never compacts (snapshotEveryEntries = 10^8), so its log holds every
 *           entry and the last test can check each acknowledged proposal in it
 *   node-2  first leader; compacts every 1000 entries; SIGKILLed, restarted, catches up by snapshot
 *   node-3  compacts every 1000 entries; SIGKILLed under load, restarted; later the leader
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { createClient, type AurigraphClient } from '../../src/client/index.js';
import { leaderAddressTrailer, leaderIdTrailer } from '../../src/consensus/consensus-port-protocol.js';
import { LmdbLogStorage } from '../../src/consensus/lmdb-log-storage.js';
import { raftNodeIdOf } from '../../src/consensus/node-ids.js';
import { ConsensusEventType, MembershipChangeType, NodeRole, PeerHealth, type ConsensusEvent, type ConsensusMetrics } from '../../src/generated/aurigraph.js';
import { makeDataDir, startNodeProcess, type NodeProcess } from '../helpers/node-process.js';
import {
  clusterArgs,
  expectedRawDigest,
  freePorts,
  grpcError,
  hex,
  metricsSummary,
  proposeLoad,
  raftLogDirectoryOf,
  sleep,
  waitFor,
  type Acknowledged,
} from './consensus-nodes.js';

const ids = ['node-1', 'node-2', 'node-3'] as const;
const archive = 0;
const firstLeader = 1;
const loaded = 2;
const nodeOptions = [['--set', 'raft.snapshotEveryEntries=100000000'], ['--set', 'raft.snapshotEveryEntries=1000'], ['--set', 'raft.snapshotEveryEntries=1000']];

let ports: number[] = [];
const dataDirs: string[] = [];
const nodes: Array<NodeProcess | undefined> = [undefined, undefined, undefined];
const clients: Array<AurigraphClient | undefined> = [undefined, undefined, undefined];
const acknowledged: Acknowledged[] = [];
const archiveEvents: ConsensusEvent[] = [];
let archiveStream: { cancel(): void } | undefined;

function client(index: number): AurigraphClient {
  const found = clients[index];
  assert.ok(found !== undefined, `${ids[index]} is running`);
  return found;
}

async function startMember(index: number): Promise<void> {
  const node = await startNodeProcess({ dataDir: dataDirs[index]!, args: clusterArgs(ports, index, nodeOptions[index]) });
  nodes[index] = node;
  clients[index] = createClient(node.address);
}

async function killMember(index: number): Promise<void> {
  clients[index]?.close();
  clients[index] = undefined;
  await nodes[index]!.stop('SIGKILL');
}

async function metricsOf(index: number): Promise<ConsensusMetrics> {
  return client(index).consensus.getMetrics({});
}

/** The leader all running `members` agree on, once they do. */
async function agreedLeader(members: readonly number[]): Promise<number> {
  return waitFor(`${members.map((index) => ids[index]).join(', ')} to agree on a leader`, async () => {
    const states = await Promise.all(members.map((index) => client(index).consensus.getNodeState({})));
    const leaderId = states[0]!.leaderId;
    if (leaderId === '' || states.some((state) => state.leaderId !== leaderId)) return undefined;
    const leader = ids.indexOf(leaderId as (typeof ids)[number]);
    return members.includes(leader) && states[members.indexOf(leader)]!.role === NodeRole.LEADER ? leader : undefined;
  });
}

async function makeLeader(target: number, members: readonly number[]): Promise<void> {
  const current = await agreedLeader(members);
  if (current === target) return;
  const response = await client(current).consensus.transferLeadership({ targetNodeId: ids[target]! });
  assert.equal(response.leaderId, ids[target], `leadership moved to ${ids[target]}`);
  assert.equal(await agreedLeader(members), target);
}

/** Waits until every running member applied the same index as `leader` committed, and returns their metrics. */
async function converged(members: readonly number[], leader: number): Promise<ConsensusMetrics[]> {
  return waitFor('the members to apply everything the leader committed', async () => {
    const commit = (await metricsOf(leader)).commitIndex;
    const all = await Promise.all(members.map(metricsOf));
    return all.every((metrics) => metrics.appliedIndex === commit && hex(metrics.appliedDigest) === hex(all[0]!.appliedDigest)) ? all : undefined;
  }, 60_000);
}

before(async () => {
  ports = await freePorts(3);
  for (let index = 0; index < 3; index++) dataDirs.push(makeDataDir(`aurigraph-cluster-${ids[index]}-`));
  await Promise.all([0, 1, 2].map(startMember));
});

after(async () => {
  archiveStream?.cancel();
  for (let index = 0; index < 3; index++) {
    clients[index]?.close();
    await nodes[index]?.stop('SIGTERM').catch(() => nodes[index]?.stop('SIGKILL'));
    nodes[index]?.cleanup();
  }
});

test('a leader is elected, and every node reports it with its address', async () => {
  await makeLeader(firstLeader, [0, 1, 2]);
  const followerState = await client(archive).consensus.getNodeState({});
  assert.equal(followerState.role, NodeRole.FOLLOWER);
  assert.equal(followerState.leaderId, 'node-2');
  assert.equal(followerState.leaderAddress, `127.0.0.1:${ports[firstLeader]}`);
  assert.deepEqual(followerState.peers.map((peer) => [peer.nodeId, peer.address, peer.voter]).sort(), [
    ['node-2', `127.0.0.1:${ports[1]}`, true],
    ['node-3', `127.0.0.1:${ports[2]}`, true],
  ]);
  const leaderState = await client(firstLeader).consensus.getNodeState({});
  assert.equal(leaderState.role, NodeRole.LEADER);
  assert.equal(leaderState.term, followerState.term);

  // From here on, node-1 records every consensus event it observes.
  const stream = client(archive).consensus.streamConsensusEvents({ types: [] });
  archiveStream = stream;
  void (async () => {
    try {
      for await (const event of stream) archiveEvents.push(event);
    } catch {
      // Cancelled at the end, or the node stopped.
    }
  })();
});

test('100,000 proposals commit and apply identically on all three nodes', async () => {
  const load = await proposeLoad(client(firstLeader), { total: 100_000, payloadsPerCall: 1000, concurrency: 8 });
  assert.deepEqual(load.errors, [], 'every proposal to a stable leader is acknowledged');
  for (const entry of load.acknowledged) acknowledged.push(entry);
  const all = await converged([0, 1, 2], firstLeader);
  const expected = expectedRawDigest(acknowledged);
  for (const metrics of all) {
    assert.equal(metrics.rawProposalsApplied, 100_000n, metricsSummary(metrics));
    assert.equal(hex(metrics.rawProposalDigest), expected, `${metrics.nodeId} applied exactly the acknowledged proposals, in log order`);
  }
  const leader = all[firstLeader]!;
  assert.equal(leader.leaderId, 'node-2');
  assert.ok(leader.proposalsTotal >= 100_000n);
  assert.deepEqual(leader.replication.map((follower) => follower.nodeId).sort(), ['node-1', 'node-3']);
  for (const follower of leader.replication) {
    assert.equal(follower.matchIndex, leader.lastLogIndex, `${follower.nodeId} holds the whole log`);
    assert.equal(follower.lagEntries, 0n);
    assert.equal(follower.health, PeerHealth.HEALTHY);
  }
  assert.ok(leader.snapshotIndex > 90_000n, `node-2 compacted its log (snapshot at ${leader.snapshotIndex})`);
  assert.ok(leader.logSizeEntries < 2000n);
  assert.equal(all[archive]!.snapshotIndex, 0n, 'the archive never compacts');
  assert.equal(all[archive]!.logSizeEntries, all[archive]!.lastLogIndex);
  assert.ok(all[archive]!.logSizeBytes > 0n);
});

test('a proposal sent to a follower is refused with the leader\'s id and address', async () => {
  await assert.rejects(client(archive).consensus.propose({ payloads: [new Uint8Array(4)] }), (error: unknown) => {
    const refusal = grpcError(error);
    assert.equal(refusal.code, GrpcStatus.FAILED_PRECONDITION);
    assert.match(refusal.details, new RegExp(`node-1 is not the leader; the leader is node-2 at 127\\.0\\.0\\.1:${ports[firstLeader]}`));
    assert.deepEqual(refusal.metadata.get(leaderIdTrailer), ['node-2']);
    assert.deepEqual(refusal.metadata.get(leaderAddressTrailer), [`127.0.0.1:${ports[firstLeader]}`]);
    return true;
  });
});

test('a follower SIGKILLed during heavy proposing recovers term, vote and log from disk', async () => {
  let stop = false;
  const load = proposeLoad(client(firstLeader), { total: 10_000_000, payloadsPerCall: 500, concurrency: 8, until: () => stop });
  await sleep(1_500);
  const leaderView = await metricsOf(firstLeader);
  const match = leaderView.replication.find((follower) => follower.nodeId === 'node-3')!.matchIndex;
  await killMember(loaded);
  await sleep(1_000);
  stop = true;
  const result = await load;
  assert.deepEqual(result.errors, [], 'the leader keeps a quorum with one follower down');
  for (const entry of result.acknowledged) acknowledged.push(entry);

  // What node-3 acknowledged to the leader (its match) was on its disk.
  const storage = LmdbLogStorage.open({ directory: raftLogDirectoryOf(dataDirs[loaded]!), foundingVoters: [] });
  try {
    assert.ok(storage.lastIndex() >= Number(match), `node-3's log ends at ${storage.lastIndex()}, below the ${match} it acknowledged`);
    assert.equal(storage.hardState().term, Number(leaderView.term), 'the term survives');
    // node-3 may have stood as a rival candidate in the term node-2 won (a legal split vote), so
    // its vote there is for the leader, for itself, or none.
    assert.ok([0, raftNodeIdOf('node-2'), raftNodeIdOf('node-3')].includes(storage.hardState().vote), 'a vote in the leader\'s term is for the leader or, as a rival candidate, for itself');
    assert.ok(storage.hardState().commit <= storage.lastIndex());
    for (const { index, payload } of acknowledged) {
      if (index < storage.firstIndex() || index > storage.lastIndex()) continue;
      assert.deepEqual([...storage.entries(index, index + 1, Number.MAX_SAFE_INTEGER)[0]!.data], [0x02, ...payload], `node-3's entry ${index}`);
    }
  } finally {
    await storage.close();
  }

  await startMember(loaded);
  const restarted = await metricsOf(loaded);
  assert.ok(restarted.term >= leaderView.term, `node-3 restarts in term ${restarted.term}, not below ${leaderView.term}`);
  await converged([0, 1, 2], firstLeader);
});

test('after the leader is SIGKILLed a new one is elected, subscribers see it, and the cluster keeps committing', async () => {
  const beforeKill = await metricsOf(archive);
  await killMember(firstLeader);
  await waitFor('node-1 to report the leader change on its event stream', async () =>
    archiveEvents.find((event) => event.type === ConsensusEventType.LEADER_CHANGED && (event.leaderId === 'node-1' || event.leaderId === 'node-3') && event.term > beforeKill.term),
  );
  assert.ok(archiveEvents.some((event) => event.type === ConsensusEventType.TERM_CHANGED && event.term > beforeKill.term));
  const sequences = archiveEvents.map((event) => Number(event.sequence));
  assert.deepEqual(sequences, sequences.map((_, position) => sequences[0]! + position), 'event sequence numbers have no gaps');

  // node-3 compacts; make it the leader so node-2 must later catch up from its snapshot.
  await makeLeader(loaded, [archive, loaded]);
  const leaderBefore = await metricsOf(loaded);
  const load = await proposeLoad(client(loaded), { total: 5_000, payloadsPerCall: 250, concurrency: 4 });
  assert.deepEqual(load.errors, []);
  for (const entry of load.acknowledged) acknowledged.push(entry);
  const leader = await waitFor('node-3 to compact past what node-2 holds', async () => {
    const metrics = await metricsOf(loaded);
    return metrics.snapshotIndex > leaderBefore.commitIndex ? metrics : undefined;
  });
  const down = leader.replication.find((follower) => follower.nodeId === 'node-2')!;
  assert.notEqual(down.health, PeerHealth.HEALTHY, 'the leader sees node-2 is gone');
  assert.ok(down.lagEntries >= 5_000n);
  const archiveNow = await metricsOf(archive);
  assert.ok(archiveNow.leaderChanges > beforeKill.leaderChanges);
  assert.equal(archiveNow.leaderId, 'node-3');
});

test('the killed leader restarts on its data folder and catches up from a snapshot', async () => {
  await startMember(firstLeader);
  const all = await converged([0, 1, 2], loaded);
  const restarted = all[firstLeader]!;
  assert.ok(nodes[firstLeader]!.logLines.some((line) => line.includes('installed a snapshot from the leader')), 'node-2 installed the leader\'s snapshot');
  assert.ok(restarted.snapshotIndex > 0n);
  for (const metrics of all) {
    assert.equal(hex(metrics.appliedDigest), hex(all[0]!.appliedDigest), metricsSummary(metrics));
    assert.equal(hex(metrics.rawProposalDigest), hex(all[0]!.rawProposalDigest));
    assert.equal(metrics.rawProposalsApplied, BigInt(acknowledged.length));
  }
});

test('a membership change is answered once committed, observed by subscribers, and undone the same way', async () => {
  const leader = client(loaded).consensus;
  await assert.rejects(leader.proposeMembershipChange({ type: MembershipChangeType.ADD_LEARNER, nodeId: 'node-2', address: '' }), (error: unknown) => {
    assert.equal(grpcError(error).code, GrpcStatus.INVALID_ARGUMENT);
    return true;
  });
  await assert.rejects(leader.proposeMembershipChange({ type: MembershipChangeType.ADD_VOTER, nodeId: 'node-9', address: '' }), /node_id: "node-9" is not in raft\.peers/);

  const removed = await leader.proposeMembershipChange({ type: MembershipChangeType.REMOVE_NODE, nodeId: 'node-2', address: '' });
  assert.deepEqual(removed.membership!.members.map((member) => member.nodeId), ['node-1', 'node-3']);
  const removedAt = removed.logIndex;
  await waitFor('node-1 to report the removal', async () =>
    archiveEvents.find((event) => event.type === ConsensusEventType.MEMBERSHIP_CHANGED && event.index === removedAt),
  );
  const withoutNode2 = await leader.getNodeState({});
  assert.deepEqual(withoutNode2.peers.map((peer) => peer.nodeId), ['node-1']);

  const added = await leader.proposeMembershipChange({ type: MembershipChangeType.ADD_VOTER, nodeId: 'node-2', address: `127.0.0.1:${ports[firstLeader]}` });
  assert.deepEqual(added.membership!.members.map((member) => [member.nodeId, member.address]), [
    ['node-1', `127.0.0.1:${ports[0]}`],
    ['node-2', `127.0.0.1:${ports[1]}`],
    ['node-3', `127.0.0.1:${ports[2]}`],
  ]);
  assert.ok(added.logIndex > removedAt);
  const event = await waitFor('node-1 to report the addition', async () =>
    archiveEvents.find((candidate) => candidate.type === ConsensusEventType.MEMBERSHIP_CHANGED && candidate.index === added.logIndex),
  );
  assert.equal(event.membership!.members.length, 3);
  const load = await proposeLoad(client(loaded), { total: 1_000, payloadsPerCall: 100, concurrency: 2 });
  assert.deepEqual(load.errors, []);
  for (const entry of load.acknowledged) acknowledged.push(entry);
  await converged([0, 1, 2], loaded);
});

test('no acknowledged proposal is lost: each is in the log at the index it was acknowledged with', async () => {
  const final = await metricsOf(archive);
  clients[archive]!.close();
  clients[archive] = undefined;
  archiveStream?.cancel();
  assert.equal(await nodes[archive]!.stop('SIGTERM'), 0);
  const storage = LmdbLogStorage.open({ directory: raftLogDirectoryOf(dataDirs[archive]!), foundingVoters: [] });
  try {
    assert.equal(storage.firstIndex(), 1, 'the archive kept its whole log');
    const logged: Acknowledged[] = storage
      .allEntries()
      .filter((entry) => entry.type === 'normal' && entry.data[0] === 0x02)
      .map((entry) => ({ index: entry.index, payload: entry.data.subarray(1) }));
    const byIndex = new Map(logged.map((entry) => [entry.index, entry.payload]));
    for (const { index, payload } of acknowledged) {
      assert.deepEqual([...(byIndex.get(index) ?? [])], [...payload], `acknowledged entry ${index}`);
    }
    assert.equal(logged.length, acknowledged.length, 'and nothing else was applied');
    assert.equal(hex(final.rawProposalDigest), expectedRawDigest(logged));
  } finally {
    await storage.close();
  }
});
