import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PeerDirectory, raftNodeIdOf } from '../../src/consensus/node-ids.js';
import {
  appendEntriesRequestOf,
  appendEntriesResponseOf,
  installSnapshotChunksOf,
  installSnapshotResponseOf,
  messageOfAppendEntriesRequest,
  messageOfAppendEntriesResponse,
  messageOfInstallSnapshotChunks,
  messageOfInstallSnapshotResponse,
  messageOfRequestVoteRequest,
  messageOfRequestVoteResponse,
  messageOfTimeoutNowRequest,
  requestVoteRequestOf,
  requestVoteResponseOf,
  timeoutNowRequestOf,
} from '../../src/consensus/message-codec.js';
import { AppendEntriesRequest, AppendEntriesResponse, InstallSnapshotChunk, InstallSnapshotResponse, RequestVoteRequest, RequestVoteResponse, TimeoutNowRequest } from '../../src/generated/aurigraph.js';
import { encodeConfChange, makeMessage, type Message } from '../../src/raft/index.js';

const peers = [
  { id: 'node-1', address: '127.0.0.1:9101' },
  { id: 'node-2', address: '127.0.0.1:9102' },
  { id: 'node-3', address: '127.0.0.1:9103' },
];
/** The same cluster seen from two of its members: the sender encodes, the receiver decodes. */
const leaderSide = new PeerDirectory('node-1', peers);
const followerSide = new PeerDirectory('node-2', peers);
const one = raftNodeIdOf('node-1');
const two = raftNodeIdOf('node-2');
const three = raftNodeIdOf('node-3');

/** Encodes to bytes and back, as the wire does. */
function wire<T>(codec: { encode(message: T): Uint8Array; decode(bytes: Uint8Array): T }, message: T): T {
  return codec.decode(codec.encode(message));
}

test('numeric node ids come from the config id alone, so every node agrees', () => {
  assert.equal(leaderSide.self.nodeId, one);
  assert.equal(followerSide.memberNamed('node-1')!.nodeId, one);
  assert.notEqual(one, two);
  assert.ok(Number.isSafeInteger(one) && one > 0 && one < 2 ** 48);
  assert.deepEqual(leaderSide.foundingVoters(), [one, two, three].sort((a, b) => a - b));
});

test('append with entries of every kind survives the trip, and so do both answers', () => {
  const append = makeMessage({
    type: 'append',
    from: one,
    to: two,
    term: 7,
    index: 41,
    logTerm: 6,
    commit: 40,
    entries: [
      { index: 42, term: 7, type: 'normal', data: new Uint8Array(0) },
      { index: 43, term: 7, type: 'normal', data: new Uint8Array([2, 9, 9, 9]) },
      { index: 44, term: 7, type: 'conf-change', data: encodeConfChange({ type: 'remove', nodeId: three }) },
    ],
  });
  const received = messageOfAppendEntriesRequest(wire(AppendEntriesRequest, appendEntriesRequestOf(append, leaderSide)), followerSide);
  assert.deepEqual(received, append);

  const accepted = makeMessage({ type: 'append-response', from: two, to: one, term: 7, index: 44 });
  const rejected = makeMessage({ type: 'append-response', from: two, to: one, term: 7, index: 41, reject: true, rejectHint: 39, logTerm: 5 });
  const staleTerm = makeMessage({ type: 'append-response', from: two, to: one, term: 9 });
  for (const answer of [accepted, rejected, staleTerm]) {
    const back = messageOfAppendEntriesResponse(wire(AppendEntriesResponse, appendEntriesResponseOf(answer, followerSide)), leaderSide, two);
    assert.deepEqual(back, answer);
  }
});

test('heartbeat and its answer survive the trip; no answer travels as ignored', () => {
  const heartbeat = makeMessage({ type: 'heartbeat', from: one, to: two, term: 3, commit: 12 });
  assert.deepEqual(messageOfAppendEntriesRequest(wire(AppendEntriesRequest, appendEntriesRequestOf(heartbeat, leaderSide)), followerSide), heartbeat);
  const answer = makeMessage({ type: 'heartbeat-response', from: two, to: one, term: 3 });
  assert.deepEqual(messageOfAppendEntriesResponse(wire(AppendEntriesResponse, appendEntriesResponseOf(answer, followerSide)), leaderSide, two), answer);
  assert.equal(messageOfAppendEntriesResponse(wire(AppendEntriesResponse, appendEntriesResponseOf(undefined, followerSide)), leaderSide, two), undefined);
});

test('votes and pre-votes (with the transfer flag) and their answers survive the trip', () => {
  for (const type of ['vote', 'pre-vote'] as const) {
    for (const leaderTransfer of [false, true]) {
      const request = makeMessage({ type, from: one, to: two, term: 5, index: 100, logTerm: 4, leaderTransfer });
      assert.deepEqual(messageOfRequestVoteRequest(wire(RequestVoteRequest, requestVoteRequestOf(request, leaderSide)), followerSide), request);
    }
    const answerType = type === 'vote' ? 'vote-response' : 'pre-vote-response';
    for (const reject of [false, true]) {
      const answer = makeMessage({ type: answerType, from: two, to: one, term: 5, reject });
      const back = messageOfRequestVoteResponse(wire(RequestVoteResponse, requestVoteResponseOf(answer, type === 'pre-vote', followerSide)), leaderSide, two);
      assert.deepEqual(back, answer);
    }
    assert.equal(messageOfRequestVoteResponse(wire(RequestVoteResponse, requestVoteResponseOf(undefined, type === 'pre-vote', followerSide)), leaderSide, two), undefined);
  }
});

test('timeout-now survives the trip', () => {
  const request = makeMessage({ type: 'timeout-now', from: one, to: two, term: 8 });
  assert.deepEqual(messageOfTimeoutNowRequest(wire(TimeoutNowRequest, timeoutNowRequestOf(request, leaderSide)), followerSide), request);
});

test('a snapshot split into chunks reassembles with its membership, and its answer survives', () => {
  const data = new Uint8Array(10_000).map((_, position) => (position * 31) & 0xff);
  const snapshot = makeMessage({
    type: 'snapshot',
    from: one,
    to: two,
    term: 4,
    snapshot: { metadata: { index: 900, term: 3, confState: { voters: [one, two, three].sort((a, b) => a - b) } }, data },
  });
  const chunks = installSnapshotChunksOf(snapshot, leaderSide, 4096).map((chunk) => wire(InstallSnapshotChunk, chunk));
  assert.equal(chunks.length, 3);
  assert.deepEqual(chunks.map((chunk) => chunk.done), [false, false, true]);
  assert.deepEqual(messageOfInstallSnapshotChunks(chunks, followerSide), snapshot);

  const empty = makeMessage({ ...snapshot, snapshot: { ...snapshot.snapshot!, data: new Uint8Array(0) } } as Message);
  assert.deepEqual(messageOfInstallSnapshotChunks(installSnapshotChunksOf(empty, leaderSide), followerSide), empty);

  const answer = makeMessage({ type: 'append-response', from: two, to: one, term: 4, index: 900 });
  const response = wire(InstallSnapshotResponse, installSnapshotResponseOf(answer, 900, data.byteLength));
  assert.equal(response.installed, true);
  assert.deepEqual(messageOfInstallSnapshotResponse(response, leaderSide, two), answer);
});

test('a snapshot whose chunks were tampered with, reordered or cut short is refused', () => {
  const data = new Uint8Array(9_000).fill(7);
  const snapshot = makeMessage({ type: 'snapshot', from: one, to: two, term: 4, snapshot: { metadata: { index: 50, term: 3, confState: { voters: [one, two] } }, data } });
  const chunks = installSnapshotChunksOf(snapshot, leaderSide, 4096);
  const tampered = chunks.map((chunk, position) => (position === 1 ? { ...chunk, data: new Uint8Array(chunk.data).fill(8) } : chunk));
  assert.throws(() => messageOfInstallSnapshotChunks(tampered, followerSide), { name: 'AurigraphError', message: /snapshot_hash/ });
  assert.throws(() => messageOfInstallSnapshotChunks([chunks[1]!, chunks[0]!, chunks[2]!], followerSide), /offset/);
  assert.throws(() => messageOfInstallSnapshotChunks(chunks.slice(0, 2), followerSide), /done|total_size_bytes/);
});

test('a request meant for another node, or from an unknown one, is refused naming the field', () => {
  const append = makeMessage({ type: 'append', from: one, to: three, term: 2, index: 0, logTerm: 0, commit: 0 });
  assert.throws(() => messageOfAppendEntriesRequest(appendEntriesRequestOf(append, leaderSide), followerSide), { message: /^follower_id: .*node-3.*node-2/ });
  const forged = AppendEntriesRequest.create({ term: 2n, leaderId: 'node-9', followerId: 'node-2' });
  assert.throws(() => messageOfAppendEntriesRequest(forged, followerSide), { message: /^leader_id: "node-9" is not a configured cluster member/ });
});
