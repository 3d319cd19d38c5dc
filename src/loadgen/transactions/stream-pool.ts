/**
 * StreamTransactions calls, each on its OWN HTTP/2 connection: grpc-js shares one connection
 * between clients with identical options, and streams sharing a connection are served very
 * unevenly, so every client gets a local subchannel pool. Batches go out as prepared bytes;
 * ReceiptBatch bytes are walked in place (receipt-reader.ts) into the run's ReceiptTally, and a
 * send resolves when every receipt of its batch has arrived.
 */
import * as grpc from '@grpc/grpc-js';
import { AurigraphError, assert } from '../../errors.js';
import { RawTransactionServiceDefinition } from '../../wire/raw-transaction-service.js';
import type { PreparedBatch } from './prepared-workload.js';
import { readReceiptBatch, type ReceiptVisitor } from './receipt-reader.js';
import type { ReceiptTally } from './receipt-tally.js';

const method = RawTransactionServiceDefinition.streamTransactions;
const defaultMessageBytesMax = 64 * 1024 * 1024;
const closeTimeoutMs = 10_000;

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

class TransactionStream implements ReceiptVisitor {
  readonly #index: number;
  readonly #tally: ReceiptTally;
  readonly #client: grpc.Client;
  readonly #call: grpc.ClientDuplexStream<Uint8Array, Buffer>;
  readonly #waiters = new Map<number, Waiter>();
  #failure: Error | undefined;
  #closing = false;
  readonly #status: Promise<void>;

  constructor(address: string, index: number, tally: ReceiptTally, messageBytesMax: number) {
    this.#index = index;
    this.#tally = tally;
    this.#client = new grpc.Client(address, grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': messageBytesMax,
      'grpc.max_send_message_length': messageBytesMax,
      'grpc.use_local_subchannel_pool': 1,
    });
    this.#call = this.#client.makeBidiStreamRequest(method.path, method.requestSerialize, method.responseDeserialize);
    this.#call.on('data', (bytes: Buffer) => {
      try {
        readReceiptBatch(bytes, this);
      } catch (error) {
        this.#fail(error instanceof Error ? error : new Error(String(error)));
        this.#call.cancel();
      }
    });
    this.#status = new Promise<void>((resolve) => {
      this.#call.on('status', () => resolve());
      this.#call.on('error', (error: Error) => {
        this.#fail(new AurigraphError('unavailable', `stream ${index}: ${error.message}`));
        resolve();
      });
    });
    // After our half-close the node ends the call once everything is answered: that is no failure
    // unless batches are still waiting (their receipts will not come).
    this.#call.on('end', () => {
      if (!this.#closing || this.#waiters.size > 0) this.#fail(new AurigraphError('unavailable', `stream ${index}: the node ended the stream with ${this.#waiters.size} batches unanswered`));
    });
  }

  get failure(): Error | undefined {
    return this.#failure;
  }

  receipt(batchId: number, index: number, status: number, rejectReason: number, message: () => string): void {
    this.#tally.receive(this.#index, batchId, index, status, rejectReason, message);
  }

  send(batchNumber: number, batch: PreparedBatch, signal: AbortSignal): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      // Given up on (timeout or stop): the batch stays in the tally, so a late receipt still
      // counts and a missing one is still reported.
      const onAbort = () => {
        this.#waiters.delete(batchNumber);
        reject(signal.reason instanceof Error ? signal.reason : new Error('the batch was abandoned'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.set(batchNumber, waiter);
      this.#tally.sent(this.#index, batchNumber, batch.transactionCount, () => {
        const answered = this.#waiters.get(batchNumber);
        this.#waiters.delete(batchNumber);
        answered?.resolve();
      });
      this.#call.write(batch.bytes);
    });
  }

  /** Half-closes and waits (bounded) for the node to finish the call. */
  async close(): Promise<void> {
    if (this.#failure === undefined) {
      this.#closing = true;
      this.#call.end();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.#status, new Promise<void>((resolve) => (timer = setTimeout(resolve, closeTimeoutMs)))]);
      clearTimeout(timer);
    }
    this.#call.cancel();
    this.#client.close();
  }

  #fail(error: Error): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    const waiters = [...this.#waiters.values()];
    this.#waiters.clear();
    for (const waiter of waiters) waiter.reject(error);
  }
}

export interface StreamPoolOptions {
  /** The node to send to (the leader, for a cluster). */
  readonly address: string;
  readonly streamCount: number;
  readonly tally: ReceiptTally;
  readonly messageBytesMax?: number;
}

export class StreamPool {
  readonly #streams: TransactionStream[];

  constructor(options: StreamPoolOptions) {
    assert(Number.isInteger(options.streamCount) && options.streamCount > 0, 'a pool has at least one stream');
    this.#streams = Array.from(
      { length: options.streamCount },
      (_, index) => new TransactionStream(options.address, index, options.tally, options.messageBytesMax ?? defaultMessageBytesMax),
    );
  }

  get streamCount(): number {
    return this.#streams.length;
  }

  /** Stream failures so far (a stream that failed stays failed), up to one message per stream. */
  get failures(): string[] {
    return this.#streams.flatMap((stream) => (stream.failure === undefined ? [] : [stream.failure.message]));
  }

  send(stream: number, batchNumber: number, batch: PreparedBatch, signal: AbortSignal): Promise<void> {
    const target = this.#streams[stream];
    assert(target !== undefined, `stream ${stream} exists`);
    return target.send(batchNumber, batch, signal);
  }

  async close(): Promise<void> {
    await Promise.all(this.#streams.map((stream) => stream.close()));
  }
}
