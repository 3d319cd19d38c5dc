/**
 * The load generator's operation for the raw gRPC limit (an OperationModule: generator worker
 * threads import it). Each worker opens `connectionsPerThread` channels, each its own HTTP/2
 * connection (a local subchannel pool, so grpc-js does not share one), with
 * `streamsPerConnection` StreamTransactions streams on each. An operation writes one pre-encoded
 * TxBatch on the least busy stream and resolves when that stream's next ReceiptBatch arrives. A
 * stream answers in order, so receipts match batches first in, first out, without decoding
 * anything. In-flight batches per stream are bounded by `batchesInFlightPerStream`; the closed
 * loop keeps connectionsPerThread × streamsPerConnection × batchesInFlightPerStream operations in
 * flight per worker.
 */
import * as grpc from '@grpc/grpc-js';
import { assert, invalidArgument } from '../../src/errors.js';
import type { OperationHandle, OperationRequest } from '../../src/loadgen/index.js';
import { RawTransactionServiceDefinition } from '../../src/wire/index.js';
import { encodeTransferBatch, type SignatureMode } from './batch-shapes.js';

export interface GrpcStreamOperationOptions {
  port: number;
  signatureMode: SignatureMode;
  transactionsPerBatch: number;
  connectionsPerThread: number;
  streamsPerConnection: number;
  batchesInFlightPerStream: number;
  /** Largest message the client accepts and sends; the bench profile's server bound. */
  messageBytesMax: number;
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

const method = RawTransactionServiceDefinition.streamTransactions;

class BatchStream {
  readonly #call: grpc.ClientDuplexStream<Uint8Array, Buffer>;
  readonly #waiting: Waiter[] = [];
  #failure: Error | undefined;

  constructor(client: grpc.Client) {
    this.#call = client.makeBidiStreamRequest(method.path, method.requestSerialize, method.responseDeserialize);
    this.#call.on('data', () => {
      const waiter = this.#waiting.shift();
      assert(waiter !== undefined, 'a receipt batch answers a batch in flight on its stream');
      waiter.resolve();
    });
    this.#call.on('error', (error: Error) => this.#fail(error));
    this.#call.on('end', () => this.#fail(new Error('the server ended the stream')));
  }

  get inFlight(): number {
    return this.#waiting.length;
  }

  get usable(): boolean {
    return this.#failure === undefined;
  }

  send(batch: Buffer, signal: AbortSignal): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#call.write(batch);
      // A batch given up on leaves the stream's first-in-first-out matching unknowable: the
      // stream is cancelled and the batches still on it fail.
      signal.addEventListener('abort', () => this.cancel(new Error('batch abandoned: the run stopped or the batch timed out')), { once: true });
    });
  }

  cancel(reason: Error): void {
    this.#fail(reason);
    this.#call.cancel();
  }

  async close(): Promise<void> {
    if (this.#failure !== undefined) return;
    const ended = new Promise<void>((resolve) => {
      this.#call.once('status', () => resolve());
      this.#call.once('error', () => resolve());
    });
    this.#call.end();
    await ended;
  }

  #fail(error: Error): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(error);
  }
}

export function createOperation(rawOptions: unknown): OperationHandle {
  const options = rawOptions as GrpcStreamOperationOptions;
  for (const field of ['port', 'transactionsPerBatch', 'connectionsPerThread', 'streamsPerConnection', 'batchesInFlightPerStream', 'messageBytesMax'] as const) {
    if (!Number.isInteger(options[field]) || options[field] <= 0) throw invalidArgument(field, `must be a positive whole number, got ${options[field]}`);
  }
  const batch = encodeTransferBatch(options.signatureMode, options.transactionsPerBatch);
  if (batch.length > options.messageBytesMax) {
    throw invalidArgument('transactionsPerBatch', `a batch of ${options.transactionsPerBatch} is ${batch.length} bytes, over the ${options.messageBytesMax}-byte message bound`);
  }
  const clients = Array.from(
    { length: options.connectionsPerThread },
    () =>
      new grpc.Client(`127.0.0.1:${options.port}`, grpc.credentials.createInsecure(), {
        'grpc.max_receive_message_length': options.messageBytesMax,
        'grpc.max_send_message_length': options.messageBytesMax,
        'grpc.use_local_subchannel_pool': 1,
      }),
  );
  const streams = clients.flatMap((client) => Array.from({ length: options.streamsPerConnection }, () => new BatchStream(client)));

  const run = (request: OperationRequest): Promise<void> => {
    let chosen: BatchStream | undefined;
    for (const stream of streams) {
      if (stream.usable && stream.inFlight < options.batchesInFlightPerStream && (chosen === undefined || stream.inFlight < chosen.inFlight)) chosen = stream;
    }
    if (chosen === undefined) return Promise.reject(new Error('no stream can take another batch (all failed or full)'));
    return chosen.send(batch, request.signal);
  };
  return {
    run,
    async close() {
      await Promise.all(streams.map((stream) => stream.close()));
      for (const client of clients) client.close();
    },
  };
}
