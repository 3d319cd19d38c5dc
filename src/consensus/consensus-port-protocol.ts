/**
 * The MessagePort protocol between ConsensusService on the acceptor thread (which hosts the
 * node's one gRPC port) and the Raft thread. Requests and responses cross as the raw protobuf
 * bytes grpc-js read and will write: the acceptor decodes nothing on this path, and every
 * ArrayBuffer is transferred, not cloned.
 *
 *   acceptor → Raft thread                     Raft thread → acceptor
 *     call {callId, method, request}             reply {callId, response}
 *     install-snapshot {callId, chunks[]}        refuse {callId, refusal}    an error status
 *                                                event {eventType, event}    a ConsensusEvent
 *
 * Both sides post through a MessageBatcher: everything posted in one synchronous run (one Raft
 * cycle answers many calls) crosses as one `batch` message, so the receiving thread wakes once.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ErrorKind } from '../errors.js';

/** Unary ConsensusService methods the Raft thread answers (StreamConsensusEvents stays on the acceptor). */
export type ConsensusUnaryMethod =
  | 'appendEntries'
  | 'requestVote'
  | 'timeoutNow'
  | 'transferLeadership'
  | 'proposeMembershipChange'
  | 'getMetrics'
  | 'getNodeState'
  | 'propose';

export const consensusUnaryMethods: readonly ConsensusUnaryMethod[] = [
  'appendEntries',
  'requestVote',
  'timeoutNow',
  'transferLeadership',
  'proposeMembershipChange',
  'getMetrics',
  'getNodeState',
  'propose',
];

/** Why a call was refused; becomes the gRPC status and trailers on the acceptor. */
export interface CallRefusal {
  /** 'internal' is a bug on the Raft thread (logged there); the client sees INTERNAL. */
  kind: ErrorKind | 'internal';
  message: string;
  field?: string;
  /** Set when the refusal is "not the leader": where the client should go instead. */
  leaderId?: string;
  leaderAddress?: string;
}

/** Trailer keys of a "not the leader" refusal. */
export const leaderIdTrailer = 'aurigraph-leader-id';
export const leaderAddressTrailer = 'aurigraph-leader-address';

export type AcceptorToRaftMessage =
  | { type: 'call'; callId: number; method: ConsensusUnaryMethod; request: ArrayBuffer }
  | { type: 'install-snapshot'; callId: number; chunks: ArrayBuffer[] };

export type RaftToAcceptorMessage =
  | { type: 'reply'; callId: number; response: ArrayBuffer }
  | { type: 'refuse'; callId: number; refusal: CallRefusal }
  | { type: 'event'; eventType: number; event: ArrayBuffer };

/** Several messages posted in one synchronous run, in order. */
export interface MessageBatch<Message> {
  type: 'batch';
  messages: Message[];
}

/** Collects what is posted during one synchronous run and sends it as one message. */
export class MessageBatcher<Message> {
  private pending: Message[] = [];
  private transfer: ArrayBuffer[] = [];
  private flushQueued = false;

  constructor(private readonly port: MessagePort) {}

  post(message: Message, transfer: readonly ArrayBuffer[] = []): void {
    this.pending.push(message);
    for (const buffer of transfer) this.transfer.push(buffer);
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    const messages = this.pending;
    const transfer = this.transfer;
    this.pending = [];
    this.transfer = [];
    if (messages.length === 1) this.port.postMessage(messages[0], transfer);
    else if (messages.length > 1) this.port.postMessage({ type: 'batch', messages } satisfies MessageBatch<Message>, transfer);
  }
}

/** Calls `handle` for a message, or for each message of a batch. */
export function forEachMessage<Message>(received: Message | MessageBatch<Message>, handle: (message: Message) => void): void {
  if ((received as { type?: unknown }).type === 'batch') {
    for (const message of (received as MessageBatch<Message>).messages) handle(message);
  } else {
    handle(received as Message);
  }
}
