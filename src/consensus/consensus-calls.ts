/**
 * ConsensusService calls as the Raft thread answers them: each arrives from the acceptor as raw
 * request bytes (consensus-port-protocol.ts), is decoded here, carried out by the runtime, and
 * answered as raw response bytes or a refusal. Peer calls (AppendEntries, RequestVote,
 * InstallSnapshot, TimeoutNow) become core messages; operator calls read or drive the runtime.
 */
import type { NodeConfig } from '../config/types.js';
import { AurigraphError, failedPrecondition, invalidArgument } from '../errors.js';
import {
  AppendEntriesRequest,
  AppendEntriesResponse,
  ConsensusMetrics,
  FollowerReplication,
  InstallSnapshotChunk,
  InstallSnapshotResponse,
  MembershipChangeRequest,
  MembershipChangeResponse,
  MembershipChangeType,
  NodeRole,
  NodeState,
  PeerStatus,
  ProposeRequest,
  ProposeResponse,
  RequestVoteRequest,
  RequestVoteResponse,
  TimeoutNowRequest,
  TimeoutNowResponse,
  TransferLeadershipRequest,
  TransferLeadershipResponse,
} from '../generated/aurigraph.js';
import type { Logger } from '../log/logger.js';
import type { ConfChange, Role } from '../raft/index.js';
import { ownedBuffer } from './apply-protocol.js';
import type { AcceptorToRaftMessage, CallRefusal, ConsensusUnaryMethod, MessageBatcher, RaftToAcceptorMessage } from './consensus-port-protocol.js';
import { rawProposalData } from './entry-kind.js';
import { LeaderRedirect } from './leader-redirect.js';
import {
  appendEntriesResponseOf,
  installSnapshotResponseOf,
  membershipOf,
  messageOfAppendEntriesRequest,
  messageOfInstallSnapshotChunks,
  messageOfRequestVoteRequest,
  messageOfTimeoutNowRequest,
  requestVoteResponseOf,
} from './message-codec.js';
import type { RaftRuntime } from './raft-runtime.js';

/** Most payloads in one Propose call. */
export const proposePayloadsMax = 65_536;
/** Room a payload leaves in a peer message for the entry's framing. */
const proposeFramingBytes = 1024;

const roles: Record<Role, NodeRole> = {
  follower: NodeRole.FOLLOWER,
  'pre-candidate': NodeRole.PRE_CANDIDATE,
  candidate: NodeRole.CANDIDATE,
  leader: NodeRole.LEADER,
};

export function refusalOf(error: unknown): CallRefusal {
  if (error instanceof LeaderRedirect) {
    return { kind: error.kind, message: error.message, leaderId: error.leaderId, leaderAddress: error.leaderAddress };
  }
  if (error instanceof AurigraphError) return error.field === undefined ? { kind: error.kind, message: error.message } : { kind: error.kind, message: error.message, field: error.field };
  return { kind: 'internal', message: 'internal error (see the node log)' };
}

function decodeRequest<T>(decode: (bytes: Uint8Array) => T, bytes: Uint8Array, what: string): T {
  try {
    return decode(bytes);
  } catch (error) {
    throw invalidArgument('request', `${what} does not decode: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export class ConsensusCalls {
  constructor(
    private readonly runtime: RaftRuntime,
    private readonly port: MessageBatcher<RaftToAcceptorMessage>,
    private readonly config: NodeConfig,
    private readonly logger: Logger,
  ) {}

  private reply(callId: number, response: Uint8Array): void {
    // Encoders may hand out views onto a shared pool: copy into a buffer of our own to transfer.
    const buffer = ownedBuffer(response);
    this.port.post({ type: 'reply', callId, response: buffer }, [buffer]);
  }

  private refuse(callId: number, method: string, error: unknown): void {
    if (!(error instanceof AurigraphError)) this.logger.error('bug: a ConsensusService call failed unexpectedly', { method, error });
    this.port.post({ type: 'refuse', callId, refusal: refusalOf(error) });
  }

  handle(message: AcceptorToRaftMessage): void {
    const method = message.type === 'call' ? message.method : 'installSnapshot';
    try {
      if (message.type === 'install-snapshot') this.installSnapshot(message.callId, message.chunks);
      else this.call(message.callId, message.method, new Uint8Array(message.request));
    } catch (error) {
      this.refuse(message.callId, method, error);
    }
  }

  private call(callId: number, method: ConsensusUnaryMethod, bytes: Uint8Array): void {
    const directory = this.runtime.directory;
    const refuse = (error: AurigraphError): void => this.refuse(callId, method, error);
    switch (method) {
      case 'appendEntries': {
        const request = messageOfAppendEntriesRequest(decodeRequest(AppendEntriesRequest.decode, bytes, 'AppendEntriesRequest'), directory);
        this.runtime.stepPeerRequest(request, (answer) => this.reply(callId, AppendEntriesResponse.encode(appendEntriesResponseOf(answer, directory))), refuse);
        return;
      }
      case 'requestVote': {
        const request = messageOfRequestVoteRequest(decodeRequest(RequestVoteRequest.decode, bytes, 'RequestVoteRequest'), directory);
        this.runtime.stepPeerRequest(request, (answer) => this.reply(callId, RequestVoteResponse.encode(requestVoteResponseOf(answer, request.type === 'pre-vote', directory))), refuse);
        return;
      }
      case 'timeoutNow': {
        const request = messageOfTimeoutNowRequest(decodeRequest(TimeoutNowRequest.decode, bytes, 'TimeoutNowRequest'), directory);
        this.runtime.stepPeerRequest(
          request,
          () => this.reply(callId, TimeoutNowResponse.encode(TimeoutNowResponse.create({ term: BigInt(this.runtime.status().term), accepted: true }))),
          refuse,
        );
        return;
      }
      case 'getMetrics':
        this.reply(callId, ConsensusMetrics.encode(this.metrics()));
        return;
      case 'getNodeState':
        this.reply(callId, NodeState.encode(this.nodeState()));
        return;
      case 'propose':
        this.propose(callId, decodeRequest(ProposeRequest.decode, bytes, 'ProposeRequest'));
        return;
      case 'transferLeadership': {
        const request = decodeRequest(TransferLeadershipRequest.decode, bytes, 'TransferLeadershipRequest');
        const target = directory.nodeIdOf(request.targetNodeId, 'target_node_id');
        this.runtime.transferLeadership(target, (outcome) => {
          if (!outcome.ok) return refuse(outcome.error);
          const { leader, term, transferred } = outcome.value;
          this.reply(callId, TransferLeadershipResponse.encode(TransferLeadershipResponse.create({ leaderId: directory.idOf(leader), term: BigInt(term), transferred })));
        });
        return;
      }
      case 'proposeMembershipChange': {
        const change = this.membershipChangeOf(decodeRequest(MembershipChangeRequest.decode, bytes, 'MembershipChangeRequest'));
        this.runtime.proposeMembershipChange(change, (outcome) => {
          if (!outcome.ok) return refuse(outcome.error);
          const membership = membershipOf({ voters: outcome.value.voters }, directory);
          this.reply(callId, MembershipChangeResponse.encode(MembershipChangeResponse.create({ logIndex: BigInt(outcome.value.logIndex), membership })));
        });
        return;
      }
    }
  }

  private propose(callId: number, request: ProposeRequest): void {
    if (!this.config.raft.rawProposals) {
      throw failedPrecondition('raw proposals are disabled on this node; set raft.rawProposals=true (the dev, bench and cluster profiles do) to use Propose', 'raft.rawProposals');
    }
    const count = request.payloads.length;
    if (count === 0 || count > proposePayloadsMax) throw invalidArgument('payloads', `must hold between 1 and ${proposePayloadsMax} payloads, got ${count}`);
    const payloadBytesMax = this.config.grpc.maxReceiveMessageBytes - proposeFramingBytes;
    const datas = request.payloads.map((payload, position) => {
      if (payload.byteLength > payloadBytesMax) throw invalidArgument(`payloads[${position}]`, `is ${payload.byteLength} bytes; at most ${payloadBytesMax} fit in a peer message`);
      return rawProposalData(payload);
    });
    this.runtime.propose(datas, 'commit', (outcome) => {
      if (!outcome.ok) return this.refuse(callId, 'propose', outcome.error);
      this.reply(callId, ProposeResponse.encode(ProposeResponse.create({ indexes: outcome.value.indexes.map(BigInt), term: BigInt(outcome.value.term) })));
    });
  }

  private membershipChangeOf(request: MembershipChangeRequest): ConfChange {
    const directory = this.runtime.directory;
    let type: ConfChange['type'];
    switch (request.type) {
      case MembershipChangeType.ADD_VOTER:
        type = 'add';
        break;
      case MembershipChangeType.REMOVE_NODE:
        type = 'remove';
        break;
      case MembershipChangeType.ADD_LEARNER:
      case MembershipChangeType.PROMOTE_LEARNER:
        throw invalidArgument('type', 'learners are not supported: this Raft core has voters only; use ADD_VOTER or REMOVE_NODE');
      default:
        throw invalidArgument('type', `must be ADD_VOTER or REMOVE_NODE, got ${request.type}`);
    }
    const member = directory.memberNamed(request.nodeId);
    if (member === undefined) {
      throw invalidArgument('node_id', `${JSON.stringify(request.nodeId)} is not in raft.peers; every node that may join must be listed (with its address) in each node's raft.peers`);
    }
    if (request.address !== '' && request.address !== member.address) {
      throw invalidArgument('address', `${request.nodeId} is configured at ${member.address}, not ${request.address}`);
    }
    return { type, nodeId: member.nodeId };
  }

  private installSnapshot(callId: number, buffers: ArrayBuffer[]): void {
    const directory = this.runtime.directory;
    let bytesReceived = 0;
    const chunks = buffers.map((buffer, position) => {
      bytesReceived += buffer.byteLength;
      return decodeRequest(InstallSnapshotChunk.decode, new Uint8Array(buffer), `InstallSnapshotChunk ${position}`);
    });
    const request = messageOfInstallSnapshotChunks(chunks, directory);
    const snapshotIndex = request.snapshot!.metadata.index;
    this.runtime.stepPeerRequest(
      request,
      (answer) => this.reply(callId, InstallSnapshotResponse.encode(installSnapshotResponseOf(answer, snapshotIndex, bytesReceived))),
      (error) => this.refuse(callId, 'installSnapshot', error),
    );
  }

  metrics(): ConsensusMetrics {
    const runtime = this.runtime;
    const directory = runtime.directory;
    const status = runtime.status();
    const stats = runtime.storage.stats();
    const digest = runtime.appliedDigest();
    const replication: FollowerReplication[] = [];
    if (status.role === 'leader') {
      for (const [peer, progress] of status.progress) {
        if (peer === directory.self.nodeId) continue;
        replication.push(
          FollowerReplication.create({
            nodeId: directory.idOf(peer),
            matchIndex: BigInt(progress.match),
            nextIndex: BigInt(progress.next),
            lagEntries: BigInt(Math.max(0, status.lastIndex - progress.match)),
            lastContactMsAgo: BigInt(runtime.contacts.msSinceContact(peer)),
            health: runtime.contacts.health(peer),
          }),
        );
      }
    }
    return ConsensusMetrics.create({
      nodeId: directory.self.id,
      term: BigInt(status.term),
      commitIndex: BigInt(status.commit),
      appliedIndex: BigInt(runtime.appliedIndex()),
      leaderId: directory.idOf(status.leaderId),
      logSizeEntries: BigInt(stats.entryCount),
      logSizeBytes: BigInt(stats.sizeBytes),
      snapshotIndex: BigInt(runtime.storage.snapshot().metadata.index),
      replication,
      electionsHeld: BigInt(runtime.counters.electionsHeld),
      leaderChanges: BigInt(runtime.counters.leaderChanges),
      proposalsTotal: BigInt(runtime.counters.proposalsTotal),
      proposalsPerSecond: runtime.counters.proposalsPerSecond(),
      appliedDigest: digest?.digest ?? new Uint8Array(0),
      rawProposalsApplied: BigInt(digest?.rawProposalCount ?? 0),
      rawProposalDigest: digest?.rawProposalDigest ?? new Uint8Array(0),
      lastLogIndex: BigInt(status.lastIndex),
    });
  }

  nodeState(): NodeState {
    const runtime = this.runtime;
    const directory = runtime.directory;
    const status = runtime.status();
    const peers = status.voters
      .filter((voter) => voter !== directory.self.nodeId)
      .map((voter) =>
        PeerStatus.create({
          nodeId: directory.idOf(voter),
          address: directory.addressOf(voter),
          voter: true,
          health: runtime.contacts.health(voter),
          lastContactMsAgo: BigInt(runtime.contacts.msSinceContact(voter)),
        }),
      );
    return NodeState.create({
      nodeId: directory.self.id,
      role: roles[status.role],
      term: BigInt(status.term),
      leaderId: directory.idOf(status.leaderId),
      leaderAddress: directory.addressOf(status.leaderId),
      peers,
      commitIndex: BigInt(status.commit),
      appliedIndex: BigInt(runtime.appliedIndex()),
    });
  }
}
