/**
 * ConsensusService on the node's one gRPC port, hosted by the acceptor thread. The acceptor
 * decodes nothing on the peer path: each unary call's request bytes go to the Raft thread over a
 * MessagePort (transferred), and the response bytes come back the same way (see
 * consensus-port-protocol.ts). StreamConsensusEvents is served here: the Raft thread posts each
 * event once and this side copies it to every subscriber.
 *
 * Bounds: calls waiting for the Raft thread (`pendingCallsMax`, beyond it RESOURCE_EXHAUSTED), a
 * snapshot's total bytes (`installSnapshotBytesMax`), and each subscriber's unsent events
 * (`subscriberEventsMax`): a subscriber that does not keep up is ended with RESOURCE_EXHAUSTED
 * rather than buffering without limit.
 */
import type { MessagePort } from 'node:worker_threads';
import * as grpc from '@grpc/grpc-js';
import type { NodeConfig } from '../config/types.js';
import { AurigraphError } from '../errors.js';
import { ConsensusServiceDefinition, StreamConsensusEventsRequest, type ConsensusEventType } from '../generated/aurigraph.js';
import type { Logger } from '../log/logger.js';
import type { HostedService } from '../server/grpc-server.js';
import { toServiceError } from '../server/status.js';
import { ownedBuffer } from './apply-protocol.js';
import {
  MessageBatcher,
  consensusUnaryMethods,
  forEachMessage,
  leaderAddressTrailer,
  leaderIdTrailer,
  type MessageBatch,
  type AcceptorToRaftMessage,
  type CallRefusal,
  type ConsensusUnaryMethod,
  type RaftToAcceptorMessage,
} from './consensus-port-protocol.js';

export const consensusServiceName = 'aurigraph.v11.ConsensusService';

const pendingCallsMax = 65_536;
const installSnapshotBytesMax = 1024 * 1024 * 1024;
const subscriberEventsMax = 1_024;

type ErrorStatus = Partial<grpc.StatusObject>;

interface Waiter {
  resolve(response: Buffer): void;
  reject(status: ErrorStatus): void;
}

interface Subscriber {
  readonly call: grpc.ServerWritableStream<StreamConsensusEventsRequest, Buffer>;
  /** Event types wanted; undefined means all. */
  readonly types: ReadonlySet<number> | undefined;
}

export function statusOfRefusal(refusal: CallRefusal): ErrorStatus {
  const status: ErrorStatus =
    refusal.kind === 'internal'
      ? { code: grpc.status.INTERNAL, details: refusal.message, metadata: new grpc.Metadata() }
      : (toServiceError(new AurigraphError(refusal.kind, refusal.message, refusal.field)) as ErrorStatus);
  if (refusal.leaderId !== undefined && refusal.leaderId !== '') {
    const metadata = status.metadata ?? new grpc.Metadata();
    metadata.set(leaderIdTrailer, refusal.leaderId);
    metadata.set(leaderAddressTrailer, refusal.leaderAddress ?? '');
    status.metadata = metadata;
  }
  return status;
}

function statusOf(code: grpc.status, details: string): ErrorStatus {
  return { code, details, metadata: new grpc.Metadata() };
}

/** The acceptor's end of the Raft thread's port: call ids, waiters, event subscribers. */
class RaftLink {
  private readonly waiters = new Map<number, Waiter>();
  private readonly subscribers = new Set<Subscriber>();
  private nextCallId = 1;
  private closed = false;
  private readonly toRaft: MessageBatcher<AcceptorToRaftMessage>;

  constructor(
    private readonly port: MessagePort,
    private readonly logger: Logger,
  ) {
    this.toRaft = new MessageBatcher(port);
    port.on('message', (received: RaftToAcceptorMessage | MessageBatch<RaftToAcceptorMessage>) => forEachMessage(received, (message) => this.receive(message)));
  }

  private newCallId(): number {
    let callId = this.nextCallId;
    while (this.waiters.has(callId)) callId = callId >= 0x7fffffff ? 1 : callId + 1;
    this.nextCallId = callId >= 0x7fffffff ? 1 : callId + 1;
    return callId;
  }

  /** Sends a call; resolves with the response bytes or rejects with the gRPC status. */
  send(build: (callId: number) => { message: AcceptorToRaftMessage; transfer: ArrayBuffer[] }, call: grpc.ServerUnaryCall<Buffer, Buffer> | grpc.ServerReadableStream<Buffer, Buffer>): Promise<Buffer> {
    if (this.closed) return Promise.reject(statusOf(grpc.status.UNAVAILABLE, 'the node is stopping'));
    if (this.waiters.size >= pendingCallsMax) {
      return Promise.reject(statusOf(grpc.status.RESOURCE_EXHAUSTED, `${pendingCallsMax} consensus calls are already waiting for the Raft thread; retry later`));
    }
    const callId = this.newCallId();
    const { message, transfer } = build(callId);
    return new Promise<Buffer>((resolve, reject) => {
      this.waiters.set(callId, { resolve, reject });
      // The answer of a cancelled call is dropped when it arrives.
      call.on('cancelled', () => this.waiters.delete(callId));
      this.toRaft.post(message, transfer);
    });
  }

  subscribe(subscriber: Subscriber): void {
    if (this.closed) {
      subscriber.call.emit('error', statusOf(grpc.status.UNAVAILABLE, 'the node is stopping'));
      return;
    }
    this.subscribers.add(subscriber);
    const remove = (): void => {
      this.subscribers.delete(subscriber);
    };
    subscriber.call.on('cancelled', remove);
    subscriber.call.on('close', remove);
    subscriber.call.on('finish', remove);
  }

  private receive(message: RaftToAcceptorMessage): void {
    switch (message.type) {
      case 'reply': {
        const waiter = this.waiters.get(message.callId);
        this.waiters.delete(message.callId);
        waiter?.resolve(Buffer.from(message.response));
        return;
      }
      case 'refuse': {
        const waiter = this.waiters.get(message.callId);
        this.waiters.delete(message.callId);
        waiter?.reject(statusOfRefusal(message.refusal));
        return;
      }
      case 'event':
        this.publish(message.eventType, Buffer.from(message.event));
        return;
    }
  }

  private publish(eventType: number, event: Buffer): void {
    for (const subscriber of this.subscribers) {
      if (subscriber.types !== undefined && !subscriber.types.has(eventType)) continue;
      const call = subscriber.call;
      if (call.writableLength >= subscriberEventsMax) {
        // Too slow: end it rather than buffer without limit. Events already queued stay queued.
        this.subscribers.delete(subscriber);
        this.logger.warn('dropping a consensus event subscriber that does not keep up', { unsentEvents: call.writableLength });
        call.emit('error', statusOf(grpc.status.RESOURCE_EXHAUSTED, `more than ${subscriberEventsMax} consensus events were not read; subscribe again and read faster`));
        continue;
      }
      call.write(event);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.waiters.values()) waiter.reject(statusOf(grpc.status.UNAVAILABLE, 'the node is stopping; the outcome of this request is unknown'));
    this.waiters.clear();
    for (const subscriber of this.subscribers) subscriber.call.end();
    this.subscribers.clear();
    this.port.close();
  }
}

const passBytes = (bytes: Buffer): Buffer => bytes;

/** ConsensusServiceDefinition with raw bytes in and out wherever the acceptor only forwards. */
function forwardingDefinition(): grpc.ServiceDefinition {
  const definition: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(ConsensusServiceDefinition)) {
    const forwarded = name !== 'streamConsensusEvents';
    definition[name] = {
      ...method,
      requestDeserialize: forwarded ? passBytes : method.requestDeserialize,
      requestSerialize: passBytes,
      responseSerialize: passBytes,
      responseDeserialize: passBytes,
    } as grpc.MethodDefinition<unknown, unknown>;
  }
  return definition;
}

export interface OpenConsensusService {
  hosted: HostedService;
  /** Refuses waiting calls, ends event streams and closes the port. */
  close(): Promise<void>;
}

/** The Raft thread's port, which the main thread puts in this (acceptor) thread's workerData. */
export function openConsensusService(options: { config: NodeConfig; logger: Logger; port: MessagePort }): OpenConsensusService {
  const logger = options.logger.child({ component: 'consensus-service' });
  const link = new RaftLink(options.port, logger);
  const handlers: grpc.UntypedServiceImplementation = {};

  const answer = (promise: Promise<Buffer>, callback: grpc.sendUnaryData<Buffer>): void => {
    promise.then(
      (response) => callback(null, response),
      (status: ErrorStatus) => callback(status),
    );
  };

  for (const method of consensusUnaryMethods) {
    handlers[method] = (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      const request = ownedBuffer(call.request);
      answer(link.send((callId) => ({ message: { type: 'call', callId, method: method satisfies ConsensusUnaryMethod, request }, transfer: [request] }), call), callback);
    };
  }

  handlers['installSnapshot'] = (call: grpc.ServerReadableStream<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
    const chunks: ArrayBuffer[] = [];
    let totalBytes = 0;
    let refused = false;
    call.on('data', (chunk: Buffer) => {
      if (refused) return;
      totalBytes += chunk.byteLength;
      if (totalBytes > installSnapshotBytesMax) {
        refused = true;
        callback(statusOf(grpc.status.RESOURCE_EXHAUSTED, `a snapshot may hold at most ${installSnapshotBytesMax} bytes`));
        return;
      }
      chunks.push(ownedBuffer(chunk));
    });
    call.on('error', () => {
      refused = true;
    });
    call.on('end', () => {
      if (refused) return;
      answer(link.send((callId) => ({ message: { type: 'install-snapshot', callId, chunks }, transfer: chunks }), call), callback);
    });
  };

  handlers['streamConsensusEvents'] = (call: grpc.ServerWritableStream<StreamConsensusEventsRequest, Buffer>) => {
    const wanted = call.request.types;
    link.subscribe({ call, types: wanted.length === 0 ? undefined : new Set<ConsensusEventType>(wanted) });
  };

  return {
    hosted: { name: consensusServiceName, definition: forwardingDefinition(), handlers },
    async close() {
      link.close();
    },
  };
}
