/**
 * The Raft core's messages (src/raft/types.ts) ↔ ConsensusService's proto messages, in one
 * place. The core speaks in one-way messages; the service is request/response, so:
 *
 *   core request          RPC and request                 core answer       RPC response
 *   append                AppendEntries                   append-response   AppendEntriesResponse
 *   heartbeat             AppendEntries {heartbeat}       heartbeat-resp.   AppendEntriesResponse {heartbeat}
 *   pre-vote / vote       RequestVote {pre_vote?}         (pre-)vote-resp.  RequestVoteResponse
 *   snapshot              InstallSnapshot (chunks)        append-response   InstallSnapshotResponse
 *   timeout-now           TimeoutNow                      none              TimeoutNowResponse
 *
 * A receiver answers each request with the answer its core produced for it, or `ignored` when
 * the core produced none. Ids travel as config ids (strings) and become NodeIds through the
 * PeerDirectory on each side. Every decoder checks what it is given and throws
 * invalid_argument naming the field; the core then validates the message again.
 */
import { createHash } from 'node:crypto';
import { invalidArgument } from '../errors.js';
import {
  AppendEntriesRequest,
  AppendEntriesResponse,
  ClusterMembership,
  InstallSnapshotChunk,
  InstallSnapshotResponse,
  LogEntry,
  LogEntryType,
  RequestVoteRequest,
  RequestVoteResponse,
  TimeoutNowRequest,
} from '../generated/aurigraph.js';
import { makeMessage, type ConfState, type Entry, type Message, type NodeId, type Snapshot } from '../raft/index.js';
import type { PeerDirectory } from './node-ids.js';

export const snapshotChunkBytesDefault = 1024 * 1024;
const snapshotHashBytes = 32;

export type PeerRequestMethod = 'appendEntries' | 'requestVote' | 'installSnapshot' | 'timeoutNow';

/** Which RPC carries a core message from its sender; answers travel back in that RPC's response. */
export function requestMethodOf(message: Message): PeerRequestMethod | undefined {
  switch (message.type) {
    case 'append':
    case 'heartbeat':
      return 'appendEntries';
    case 'pre-vote':
    case 'vote':
      return 'requestVote';
    case 'snapshot':
      return 'installSnapshot';
    case 'timeout-now':
      return 'timeoutNow';
    default:
      return undefined;
  }
}

export function isAnswerMessage(message: Message): boolean {
  return message.type === 'append-response' || message.type === 'heartbeat-response' || message.type === 'vote-response' || message.type === 'pre-vote-response';
}

function toCount(value: bigint, field: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw invalidArgument(field, `must be below 2^53, got ${value}`);
  return Number(value);
}

function toBig(value: number): bigint {
  return BigInt(value);
}

function idOf(directory: PeerDirectory, nodeId: NodeId, field: string): string {
  const member = directory.memberOf(nodeId);
  if (member === undefined) throw invalidArgument(field, `Raft node ${nodeId} is not a configured cluster member`);
  return member.id;
}

/** The receiver checks a request is meant for it: a misrouted request must not be stepped. */
function checkAddressedToSelf(directory: PeerDirectory, id: string, field: string): NodeId {
  if (id !== directory.self.id) throw invalidArgument(field, `this request is for ${JSON.stringify(id)}, but this node is ${JSON.stringify(directory.self.id)}`);
  return directory.self.nodeId;
}

// ---------------------------------------------------------------- entries and membership

export function logEntryFromEntry(entry: Entry): LogEntry {
  const type = entry.type === 'conf-change' ? LogEntryType.MEMBERSHIP : entry.data.byteLength === 0 ? LogEntryType.NO_OP : LogEntryType.BATCH;
  return LogEntry.create({ index: toBig(entry.index), term: toBig(entry.term), type, data: entry.data });
}

export function entryFromLogEntry(logEntry: LogEntry, field: string): Entry {
  const index = toCount(logEntry.index, `${field}.index`);
  const term = toCount(logEntry.term, `${field}.term`);
  switch (logEntry.type) {
    case LogEntryType.BATCH:
      if (logEntry.data.byteLength === 0) throw invalidArgument(`${field}.data`, 'a BATCH entry carries data (an empty entry is a NO_OP)');
      return { index, term, type: 'normal', data: logEntry.data };
    case LogEntryType.NO_OP:
      if (logEntry.data.byteLength !== 0) throw invalidArgument(`${field}.data`, `a NO_OP entry is empty, got ${logEntry.data.byteLength} bytes`);
      return { index, term, type: 'normal', data: logEntry.data };
    case LogEntryType.MEMBERSHIP:
      return { index, term, type: 'conf-change', data: logEntry.data };
    default:
      throw invalidArgument(`${field}.type`, `must be BATCH, MEMBERSHIP or NO_OP, got ${logEntry.type}`);
  }
}

export function membershipOf(confState: ConfState, directory: PeerDirectory): ClusterMembership {
  const members = confState.voters.map((voter) => ({ nodeId: idOf(directory, voter, 'membership'), address: directory.addressOf(voter), voter: true }));
  members.sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  return ClusterMembership.create({ members });
}

function confStateOf(membership: ClusterMembership | undefined, directory: PeerDirectory, field: string): ConfState {
  if (membership === undefined || membership.members.length === 0) throw invalidArgument(field, 'a snapshot names at least one voter');
  const voters = membership.members.map((member, position) => {
    if (!member.voter) throw invalidArgument(`${field}.members[${position}].voter`, 'learners are not supported; every member is a voter');
    return directory.nodeIdOf(member.nodeId, `${field}.members[${position}].node_id`);
  });
  return { voters: voters.sort((a, b) => a - b) };
}

// ---------------------------------------------------------------- AppendEntries

export function appendEntriesRequestOf(message: Message, directory: PeerDirectory): AppendEntriesRequest {
  const heartbeat = message.type === 'heartbeat';
  if (!heartbeat && message.type !== 'append') throw invalidArgument('message.type', `${message.type} does not travel in AppendEntries`);
  return AppendEntriesRequest.create({
    term: toBig(message.term),
    leaderId: idOf(directory, message.from, 'message.from'),
    prevLogIndex: toBig(message.index),
    prevLogTerm: toBig(message.logTerm),
    entries: message.entries.map(logEntryFromEntry),
    leaderCommit: toBig(message.commit),
    followerId: idOf(directory, message.to, 'message.to'),
    heartbeat,
  });
}

export function messageOfAppendEntriesRequest(request: AppendEntriesRequest, directory: PeerDirectory): Message {
  const to = checkAddressedToSelf(directory, request.followerId, 'follower_id');
  const from = directory.nodeIdOf(request.leaderId, 'leader_id');
  const common = { from, to, term: toCount(request.term, 'term'), commit: toCount(request.leaderCommit, 'leader_commit') };
  if (request.heartbeat) {
    if (request.entries.length > 0) throw invalidArgument('entries', 'a heartbeat carries no entries');
    return makeMessage({ type: 'heartbeat', ...common });
  }
  return makeMessage({
    type: 'append',
    ...common,
    index: toCount(request.prevLogIndex, 'prev_log_index'),
    logTerm: toCount(request.prevLogTerm, 'prev_log_term'),
    entries: request.entries.map((entry, position) => entryFromLogEntry(entry, `entries[${position}]`)),
  });
}

/** The answer to an AppendEntries request: the core's append-/heartbeat-response, or none. */
export function appendEntriesResponseOf(answer: Message | undefined, directory: PeerDirectory): AppendEntriesResponse {
  if (answer === undefined) return AppendEntriesResponse.create({ ignored: true, followerId: directory.self.id });
  const heartbeat = answer.type === 'heartbeat-response';
  if (!heartbeat && answer.type !== 'append-response') throw invalidArgument('answer.type', `${answer.type} does not answer AppendEntries`);
  return AppendEntriesResponse.create({
    term: toBig(answer.term),
    success: !answer.reject,
    matchIndex: answer.reject ? 0n : toBig(answer.index),
    rejectedIndex: answer.reject ? toBig(answer.index) : 0n,
    conflictIndex: toBig(answer.rejectHint),
    conflictTerm: toBig(answer.logTerm),
    followerId: idOf(directory, answer.from, 'answer.from'),
    heartbeat,
  });
}

/** The core message an AppendEntries response carries back to the leader (`to`), or none. */
export function messageOfAppendEntriesResponse(response: AppendEntriesResponse, directory: PeerDirectory, expectedFrom: NodeId): Message | undefined {
  if (response.ignored) return undefined;
  const from = directory.nodeIdOf(response.followerId, 'follower_id');
  if (from !== expectedFrom) throw invalidArgument('follower_id', `the answer comes from ${response.followerId}, not the node asked`);
  const common = { from, to: directory.self.nodeId, term: toCount(response.term, 'term') };
  if (response.heartbeat) return makeMessage({ type: 'heartbeat-response', ...common });
  return makeMessage({
    type: 'append-response',
    ...common,
    reject: !response.success,
    index: response.success ? toCount(response.matchIndex, 'match_index') : toCount(response.rejectedIndex, 'rejected_index'),
    rejectHint: toCount(response.conflictIndex, 'conflict_index'),
    logTerm: toCount(response.conflictTerm, 'conflict_term'),
  });
}

// ---------------------------------------------------------------- RequestVote

export function requestVoteRequestOf(message: Message, directory: PeerDirectory): RequestVoteRequest {
  if (message.type !== 'vote' && message.type !== 'pre-vote') throw invalidArgument('message.type', `${message.type} does not travel in RequestVote`);
  return RequestVoteRequest.create({
    term: toBig(message.term),
    candidateId: idOf(directory, message.from, 'message.from'),
    lastLogIndex: toBig(message.index),
    lastLogTerm: toBig(message.logTerm),
    preVote: message.type === 'pre-vote',
    leadershipTransfer: message.leaderTransfer,
    voterId: idOf(directory, message.to, 'message.to'),
  });
}

export function messageOfRequestVoteRequest(request: RequestVoteRequest, directory: PeerDirectory): Message {
  const to = checkAddressedToSelf(directory, request.voterId, 'voter_id');
  return makeMessage({
    type: request.preVote ? 'pre-vote' : 'vote',
    from: directory.nodeIdOf(request.candidateId, 'candidate_id'),
    to,
    term: toCount(request.term, 'term'),
    index: toCount(request.lastLogIndex, 'last_log_index'),
    logTerm: toCount(request.lastLogTerm, 'last_log_term'),
    leaderTransfer: request.leadershipTransfer,
  });
}

export function requestVoteResponseOf(answer: Message | undefined, preVote: boolean, directory: PeerDirectory): RequestVoteResponse {
  if (answer === undefined) return RequestVoteResponse.create({ ignored: true, preVote, voterId: directory.self.id });
  if (answer.type !== 'vote-response' && answer.type !== 'pre-vote-response') throw invalidArgument('answer.type', `${answer.type} does not answer RequestVote`);
  return RequestVoteResponse.create({
    term: toBig(answer.term),
    voteGranted: !answer.reject,
    preVote: answer.type === 'pre-vote-response',
    voterId: idOf(directory, answer.from, 'answer.from'),
  });
}

export function messageOfRequestVoteResponse(response: RequestVoteResponse, directory: PeerDirectory, expectedFrom: NodeId): Message | undefined {
  if (response.ignored) return undefined;
  const from = directory.nodeIdOf(response.voterId, 'voter_id');
  if (from !== expectedFrom) throw invalidArgument('voter_id', `the answer comes from ${response.voterId}, not the node asked`);
  return makeMessage({
    type: response.preVote ? 'pre-vote-response' : 'vote-response',
    from,
    to: directory.self.nodeId,
    term: toCount(response.term, 'term'),
    reject: !response.voteGranted,
  });
}

// ---------------------------------------------------------------- TimeoutNow

export function timeoutNowRequestOf(message: Message, directory: PeerDirectory): TimeoutNowRequest {
  if (message.type !== 'timeout-now') throw invalidArgument('message.type', `${message.type} does not travel in TimeoutNow`);
  return TimeoutNowRequest.create({
    term: toBig(message.term),
    leaderId: idOf(directory, message.from, 'message.from'),
    followerId: idOf(directory, message.to, 'message.to'),
  });
}

export function messageOfTimeoutNowRequest(request: TimeoutNowRequest, directory: PeerDirectory): Message {
  const to = checkAddressedToSelf(directory, request.followerId, 'follower_id');
  return makeMessage({ type: 'timeout-now', from: directory.nodeIdOf(request.leaderId, 'leader_id'), to, term: toCount(request.term, 'term') });
}

// ---------------------------------------------------------------- InstallSnapshot

export function snapshotHash(data: Uint8Array): Uint8Array {
  return createHash('sha256').update(data).digest();
}

/** A snapshot message as chunks of at most `chunkBytes` data each (at least one chunk). */
export function installSnapshotChunksOf(message: Message, directory: PeerDirectory, chunkBytes = snapshotChunkBytesDefault): InstallSnapshotChunk[] {
  const snapshot = message.snapshot;
  if (message.type !== 'snapshot' || snapshot === null) throw invalidArgument('message.type', `${message.type} does not travel in InstallSnapshot`);
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes <= 0) throw invalidArgument('chunkBytes', `must be a positive integer, got ${chunkBytes}`);
  const header = {
    term: toBig(message.term),
    leaderId: idOf(directory, message.from, 'message.from'),
    lastIncludedIndex: toBig(snapshot.metadata.index),
    lastIncludedTerm: toBig(snapshot.metadata.term),
    membership: membershipOf(snapshot.metadata.confState, directory),
    totalSizeBytes: toBig(snapshot.data.byteLength),
    snapshotHash: snapshotHash(snapshot.data),
    followerId: idOf(directory, message.to, 'message.to'),
  };
  const chunks: InstallSnapshotChunk[] = [];
  let offset = 0;
  do {
    const end = Math.min(snapshot.data.byteLength, offset + chunkBytes);
    chunks.push(InstallSnapshotChunk.create({ ...header, offset: toBig(offset), data: snapshot.data.subarray(offset, end), done: end === snapshot.data.byteLength }));
    offset = end;
  } while (offset < snapshot.data.byteLength);
  return chunks;
}

/** Reassembles and checks a snapshot sent in chunks: same header on each, offsets in order, size and hash. */
export function messageOfInstallSnapshotChunks(chunks: readonly InstallSnapshotChunk[], directory: PeerDirectory): Message {
  const first = chunks[0];
  if (first === undefined) throw invalidArgument('chunks', 'InstallSnapshot sent no chunk');
  const to = checkAddressedToSelf(directory, first.followerId, 'follower_id');
  const totalSizeBytes = toCount(first.totalSizeBytes, 'total_size_bytes');
  if (first.snapshotHash.byteLength !== snapshotHashBytes) throw invalidArgument('snapshot_hash', `must be ${snapshotHashBytes} bytes, got ${first.snapshotHash.byteLength}`);
  const data = new Uint8Array(totalSizeBytes);
  let offset = 0;
  chunks.forEach((chunk, position) => {
    const field = `chunks[${position}]`;
    if (chunk.term !== first.term || chunk.leaderId !== first.leaderId || chunk.lastIncludedIndex !== first.lastIncludedIndex ||
        chunk.lastIncludedTerm !== first.lastIncludedTerm || chunk.totalSizeBytes !== first.totalSizeBytes || chunk.followerId !== first.followerId) {
      throw invalidArgument(field, 'every chunk repeats the first chunk\'s header');
    }
    if (toCount(chunk.offset, `${field}.offset`) !== offset) throw invalidArgument(`${field}.offset`, `expected ${offset}, got ${chunk.offset}`);
    if (offset + chunk.data.byteLength > totalSizeBytes) throw invalidArgument(`${field}.data`, `runs past total_size_bytes ${totalSizeBytes}`);
    data.set(chunk.data, offset);
    offset += chunk.data.byteLength;
    if (chunk.done !== (position === chunks.length - 1)) throw invalidArgument(`${field}.done`, 'only the last chunk is marked done');
  });
  if (offset !== totalSizeBytes) throw invalidArgument('total_size_bytes', `announced ${totalSizeBytes} bytes, received ${offset}`);
  if (!Buffer.from(snapshotHash(data)).equals(Buffer.from(first.snapshotHash))) throw invalidArgument('snapshot_hash', 'does not match the SHA-256 of the received snapshot');
  const snapshot: Snapshot = {
    metadata: {
      index: toCount(first.lastIncludedIndex, 'last_included_index'),
      term: toCount(first.lastIncludedTerm, 'last_included_term'),
      confState: confStateOf(first.membership, directory, 'membership'),
    },
    data,
  };
  return makeMessage({ type: 'snapshot', from: directory.nodeIdOf(first.leaderId, 'leader_id'), to, term: toCount(first.term, 'term'), snapshot });
}

export function installSnapshotResponseOf(answer: Message | undefined, snapshotIndex: number, bytesReceived: number): InstallSnapshotResponse {
  if (answer === undefined) return InstallSnapshotResponse.create({ ignored: true, bytesReceived: toBig(bytesReceived) });
  if (answer.type !== 'append-response') throw invalidArgument('answer.type', `${answer.type} does not answer InstallSnapshot`);
  return InstallSnapshotResponse.create({
    term: toBig(answer.term),
    bytesReceived: toBig(bytesReceived),
    installed: !answer.reject && answer.index >= snapshotIndex,
    matchIndex: toBig(answer.index),
  });
}

export function messageOfInstallSnapshotResponse(response: InstallSnapshotResponse, directory: PeerDirectory, from: NodeId): Message | undefined {
  if (response.ignored) return undefined;
  return makeMessage({ type: 'append-response', from, to: directory.self.nodeId, term: toCount(response.term, 'term'), index: toCount(response.matchIndex, 'match_index') });
}
