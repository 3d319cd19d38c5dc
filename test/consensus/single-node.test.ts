import assert from 'node:assert/strict';
import { test } from 'node:test';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { createClient } from '../../src/client/index.js';
import { LmdbLogStorage } from '../../src/consensus/lmdb-log-storage.js';
import { raftNodeIdOf } from '../../src/consensus/node-ids.js';
import { NodeRole } from '../../src/generated/aurigraph.js';
import { makeDataDir, startNodeProcess } from '../helpers/node-process.js';
import { chainDigest, digestArgs, expectedRawDigest, grpcError, hex, proposeLoad, raftLogDirectoryOf, waitFor, type Acknowledged } from './consensus-nodes.js';

test('a single node elects itself, commits raw proposals, reports them, and keeps term and log across restarts and a SIGKILL', async () => {
  const dataDir = makeDataDir('aurigraph-single-raft-');
  let node = await startNodeProcess({ dataDir, args: digestArgs });
  let client = createClient(node.address);
  try {
    // Elected at once: the only voter.
    const state = await waitFor('the node to lead', async () => {
      const current = await client.consensus.getNodeState({});
      return current.role === NodeRole.LEADER ? current : undefined;
    });
    assert.equal(state.nodeId, 'node-1');
    assert.equal(state.leaderId, 'node-1');
    assert.equal(state.leaderAddress, node.address);
    assert.deepEqual(state.peers, []);
    assert.equal(await client.health.check('aurigraph.v11.ConsensusService'), 'SERVING');

    // Raw proposals: one entry per payload, indexes ascending and contiguous within a call.
    const acknowledged: Acknowledged[] = [];
    for (let call = 0; call < 5; call++) {
      const payloads = Array.from({ length: 200 }, (_, position) => Uint8Array.from([call, position & 0xff, position >> 8]));
      const response = await client.consensus.propose({ payloads });
      assert.equal(response.indexes.length, 200);
      response.indexes.forEach((index, position) => {
        if (position > 0) assert.equal(index, response.indexes[position - 1]! + 1n);
        acknowledged.push({ index: Number(index), payload: payloads[position]! });
      });
      assert.equal(response.term, state.term);
    }
    const before = await waitFor('the proposals to be applied', async () => {
      const metrics = await client.consensus.getMetrics({});
      return metrics.appliedIndex === metrics.commitIndex && metrics.rawProposalsApplied === 1000n ? metrics : undefined;
    });
    assert.equal(before.nodeId, 'node-1');
    assert.equal(before.leaderId, 'node-1');
    assert.equal(before.term, state.term);
    assert.equal(Number(before.commitIndex), acknowledged.at(-1)!.index);
    assert.equal(before.lastLogIndex, before.commitIndex);
    assert.equal(before.proposalsTotal, 1000n);
    assert.equal(before.electionsHeld, 1n);
    assert.equal(before.leaderChanges, 1n);
    assert.deepEqual(before.replication, [], 'a single node has no followers');
    assert.equal(hex(before.rawProposalDigest), expectedRawDigest(acknowledged));
    assert.equal(before.appliedDigest.byteLength, 32);

    // A drained restart keeps term and log; the new term's no-op extends the digest chain.
    client.close();
    assert.equal(await node.stop('SIGTERM'), 0);
    node = await startNodeProcess({ dataDir, args: digestArgs });
    client = createClient(node.address);
    const afterRestart = await waitFor('the restarted node to lead and apply', async () => {
      const metrics = await client.consensus.getMetrics({});
      return metrics.leaderId === 'node-1' && metrics.appliedIndex === before.commitIndex + 1n ? metrics : undefined;
    });
    assert.ok(afterRestart.term > before.term, `term ${afterRestart.term} continues from ${before.term} on disk`);
    assert.equal(afterRestart.lastLogIndex, before.lastLogIndex + 1n);
    assert.equal(afterRestart.rawProposalsApplied, 1000n);
    assert.equal(hex(afterRestart.rawProposalDigest), hex(before.rawProposalDigest));
    assert.equal(hex(afterRestart.appliedDigest), chainDigest(before.appliedDigest, Number(before.commitIndex) + 1, Number(afterRestart.term), new Uint8Array(0)));

    // SIGKILL while proposals stream in: every acknowledged one is in the log on disk.
    let killed = false;
    const load = proposeLoad(client, { total: 1_000_000, payloadsPerCall: 100, concurrency: 4, until: () => killed });
    await waitFor('proposals to flow', async () => ((await client.consensus.getMetrics({})).rawProposalsApplied > 3000n ? true : undefined));
    await node.stop('SIGKILL');
    killed = true;
    const result = await load;
    assert.ok(result.acknowledged.length >= 2000, `acknowledged ${result.acknowledged.length} before the kill`);
    const storage = LmdbLogStorage.open({ directory: raftLogDirectoryOf(dataDir), foundingVoters: [raftNodeIdOf('node-1')] });
    try {
      assert.equal(storage.hardState().term, Number(afterRestart.term), 'the term survives SIGKILL');
      assert.equal(storage.hardState().vote, raftNodeIdOf('node-1'), 'so does the vote');
      for (const { index, payload } of result.acknowledged) {
        assert.ok(index <= storage.lastIndex(), `acknowledged index ${index} is in the log (last ${storage.lastIndex()})`);
        const [stored] = storage.entries(index, index + 1, Number.MAX_SAFE_INTEGER);
        assert.deepEqual([...stored!.data], [0x02, ...payload], `entry ${index}`);
      }
    } finally {
      await storage.close();
    }

    // Restarted with raw proposals off (the prod setting): it replays the log, and Propose is refused.
    client.close();
    node = await startNodeProcess({ dataDir, args: [...digestArgs, '--set', 'raft.rawProposals=false'] });
    client = createClient(node.address);
    const replayed = await waitFor('the log to be replayed', async () => {
      const metrics = await client.consensus.getMetrics({});
      return metrics.leaderId === 'node-1' && metrics.appliedIndex === metrics.commitIndex ? metrics : undefined;
    });
    const rawApplied = Number(replayed.rawProposalsApplied);
    const expectedLow = 1000 + result.acknowledged.length;
    assert.ok(rawApplied >= expectedLow && rawApplied <= expectedLow + result.unknownPayloads, `${rawApplied} raw proposals applied after replay`);
    await assert.rejects(client.consensus.propose({ payloads: [new Uint8Array(1)] }), (error: unknown) => {
      assert.equal(grpcError(error).code, GrpcStatus.FAILED_PRECONDITION);
      assert.match(grpcError(error).details, /raft\.rawProposals/);
      return true;
    });
  } finally {
    client.close();
    await node.stop('SIGTERM').catch(() => node.stop('SIGKILL'));
    node.cleanup();
  }
});
