/**
 * Outbound Raft messages to peers, on the Raft thread: one gRPC channel per peer, created on
 * first use and reused, calling the peer's ConsensusService. Each request's answer (the peer
 * core's response message) comes back to the runtime as an input.
 *
 * Bounds: at most `inflightMessagesMax` calls in flight per peer, each with a deadline. A message
 * over the bound is dropped — Raft is built for loss: a dropped append makes the leader probe
 * again (reportUnreachable), a dropped snapshot is retried later — so a slow or dead peer costs
 * its own window and nothing else. Calls to a peer that is down fail fast (no wait-for-ready),
 * and the channel reconnects with a short backoff so a restarted peer is reached promptly.
 */
import * as grpc from '@grpc/grpc-js';
import {
  AppendEntriesRequest,
  AppendEntriesResponse,
  ConsensusServiceDefinition,
  InstallSnapshotChunk,
  InstallSnapshotResponse,
  RequestVoteRequest,
  RequestVoteResponse,
  TimeoutNowRequest,
} from '../generated/aurigraph.js';
import type { Logger } from '../log/logger.js';
import type { Message, NodeId } from '../raft/index.js';
import {
  appendEntriesRequestOf,
  installSnapshotChunksOf,
  messageOfAppendEntriesResponse,
  messageOfInstallSnapshotResponse,
  messageOfRequestVoteResponse,
  requestMethodOf,
  requestVoteRequestOf,
  timeoutNowRequestOf,
} from './message-codec.js';
import type { PeerDirectory } from './node-ids.js';

export interface PeerTransportOptions {
  /** Deadline of each call. */
  deadlineMs: number;
  /** Calls in flight per peer before messages are dropped. */
  inflightMessagesMax: number;
  snapshotChunkBytes: number;
  /** Largest message sent or received on a peer channel. */
  messageBytesMax: number;
}

export interface PeerTransportEvents {
  /** A peer answered a request: step this message. */
  answered(message: Message): void;
  /** An append could not be delivered: the leader should probe instead of pipelining. */
  unreachable(peer: NodeId): void;
  /** A snapshot could not be delivered. */
  snapshotFailed(peer: NodeId): void;
  /** The peer answered (any answer), for health reporting. */
  contacted(peer: NodeId): void;
  /** A call to the peer failed, for health reporting. */
  failed(peer: NodeId): void;
}

interface PeerChannel {
  readonly client: grpc.Client;
  inflight: number;
}

const passBytes = (bytes: Buffer): Buffer => bytes;

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export class PeerTransport {
  private readonly channels = new Map<NodeId, PeerChannel>();
  private closed = false;
  /** Messages dropped because a peer's window was full or it was unknown, for metrics. */
  droppedMessages = 0;

  constructor(
    private readonly directory: PeerDirectory,
    private readonly options: PeerTransportOptions,
    private readonly events: PeerTransportEvents,
    private readonly logger: Logger,
  ) {}

  private channelTo(peer: NodeId): PeerChannel | undefined {
    const existing = this.channels.get(peer);
    if (existing !== undefined) return existing;
    const address = this.directory.addressOf(peer);
    if (address === '') return undefined;
    const client = new grpc.Client(address, grpc.credentials.createInsecure(), {
      'grpc.max_send_message_length': this.options.messageBytesMax,
      'grpc.max_receive_message_length': this.options.messageBytesMax,
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 1_000,
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
      'grpc.keepalive_permit_without_calls': 1,
    });
    const channel: PeerChannel = { client, inflight: 0 };
    this.channels.set(peer, channel);
    return channel;
  }

  /** Sends one request-type message; answers arrive through the events. */
  send(message: Message): void {
    if (this.closed) return;
    const method = requestMethodOf(message);
    const channel = method === undefined ? undefined : this.channelTo(message.to);
    if (method === undefined || channel === undefined || channel.inflight >= this.options.inflightMessagesMax) {
      this.droppedMessages += 1;
      this.undelivered(message);
      return;
    }
    try {
      switch (method) {
        case 'appendEntries':
          this.unary(channel, message, 'appendEntries', toBuffer(AppendEntriesRequest.encode(appendEntriesRequestOf(message, this.directory))), (bytes) =>
            messageOfAppendEntriesResponse(AppendEntriesResponse.decode(bytes), this.directory, message.to),
          );
          return;
        case 'requestVote':
          this.unary(channel, message, 'requestVote', toBuffer(RequestVoteRequest.encode(requestVoteRequestOf(message, this.directory))), (bytes) =>
            messageOfRequestVoteResponse(RequestVoteResponse.decode(bytes), this.directory, message.to),
          );
          return;
        case 'timeoutNow':
          this.unary(channel, message, 'timeoutNow', toBuffer(TimeoutNowRequest.encode(timeoutNowRequestOf(message, this.directory))), () => undefined);
          return;
        case 'installSnapshot':
          this.installSnapshot(channel, message);
          return;
      }
    } catch (error) {
      // Encoding failed: a bug in the mapping, not a network problem; the message is lost.
      this.logger.error('bug: cannot encode a Raft message', { type: message.type, to: message.to, error });
      this.undelivered(message);
    }
  }

  private undelivered(message: Message): void {
    if (message.type === 'append') this.events.unreachable(message.to);
    else if (message.type === 'snapshot') this.events.snapshotFailed(message.to);
  }

  private callOptions(): grpc.CallOptions {
    return { deadline: Date.now() + this.options.deadlineMs };
  }

  private unary(
    channel: PeerChannel,
    message: Message,
    method: 'appendEntries' | 'requestVote' | 'timeoutNow',
    request: Buffer,
    decodeAnswer: (bytes: Buffer) => Message | undefined,
  ): void {
    const definition = ConsensusServiceDefinition[method];
    channel.inflight += 1;
    channel.client.makeUnaryRequest(definition.path, passBytes, passBytes, request, new grpc.Metadata(), this.callOptions(), (error, response) => {
      channel.inflight -= 1;
      if (this.closed) return;
      if (error !== null || response === undefined) {
        this.events.failed(message.to);
        this.undelivered(message);
        if (error !== null && error.code !== grpc.status.UNAVAILABLE && error.code !== grpc.status.DEADLINE_EXCEEDED) {
          this.logger.warn('peer refused a Raft message', { peer: this.directory.idOf(message.to), type: message.type, code: error.code, details: error.details });
        }
        return;
      }
      this.events.contacted(message.to);
      this.deliverAnswer(message, () => decodeAnswer(response));
    });
  }

  private installSnapshot(channel: PeerChannel, message: Message): void {
    const chunks = installSnapshotChunksOf(message, this.directory, this.options.snapshotChunkBytes);
    const definition = ConsensusServiceDefinition.installSnapshot;
    channel.inflight += 1;
    const call = channel.client.makeClientStreamRequest(definition.path, passBytes, passBytes, new grpc.Metadata(), this.callOptions(), (error, response) => {
      channel.inflight -= 1;
      if (this.closed) return;
      if (error !== null || response === undefined) {
        this.events.failed(message.to);
        this.undelivered(message);
        this.logger.warn('snapshot not delivered', { peer: this.directory.idOf(message.to), index: message.snapshot?.metadata.index, code: error?.code, details: error?.details });
        return;
      }
      this.events.contacted(message.to);
      // An ignored snapshot counts as undelivered, so the leader may send it again later.
      this.deliverAnswer(message, () => messageOfInstallSnapshotResponse(InstallSnapshotResponse.decode(response), this.directory, message.to), true);
    });
    // A snapshot is sent at most once per election timeout per follower, so writing all chunks
    // at once is bounded by the snapshot's size; grpc-js applies HTTP/2 flow control below.
    for (const chunk of chunks) call.write(toBuffer(InstallSnapshotChunk.encode(chunk)));
    call.end();
  }

  private deliverAnswer(message: Message, decode: () => Message | undefined, noAnswerIsFailure = false): void {
    let answer: Message | undefined;
    try {
      answer = decode();
    } catch (error) {
      this.logger.warn('peer sent an answer that does not decode', { peer: this.directory.idOf(message.to), type: message.type, error });
      this.undelivered(message);
      return;
    }
    if (answer !== undefined) this.events.answered(answer);
    else if (noAnswerIsFailure) this.undelivered(message);
  }

  /** Calls in flight per peer, for metrics. */
  inflightOf(peer: NodeId): number {
    return this.channels.get(peer)?.inflight ?? 0;
  }

  close(): void {
    this.closed = true;
    for (const channel of this.channels.values()) channel.client.close();
    this.channels.clear();
  }
}
