/**
 * Batches built before they are needed, in worker threads (signing is the expensive part: about
 * a millisecond per ML-DSA-65 signature on one core), kept per stream and released once sent.
 *
 *   prepareWorkload(plan, { toBatchNumber })   everything up front: the load command and the
 *                                              benchmark prepare before the clock starts.
 *   RollingWorkload                            chunk after chunk, ahead of the schedule: a 24-hour
 *                                              soak cannot hold all its batches at once.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { AurigraphError, assert, invalidArgument } from '../../errors.js';
import type { PreparationMessage, PreparationTask } from './preparation-protocol.js';
import { checkPlan, type WorkloadPlan } from './workload-plan.js';

export interface PreparedBatch {
  readonly batchId: bigint;
  readonly transactionCount: number;
  readonly bytes: Buffer;
}

/** Where the load runner takes batches from: by stream and per-stream batch number. */
export interface BatchSource {
  readonly streamCount: number;
  /** Batch numbers [0, end) exist, or will: the run stops before `end`. Infinity when unbounded. */
  readonly endBatchNumber: number;
  /** The batch, at once when prepared, else when its chunk is done (the generator fell behind). */
  take(stream: number, batchNumber: number): PreparedBatch | Promise<PreparedBatch>;
}

export interface PreparationOptions {
  /** Worker threads; the machine's available parallelism by default. */
  threads?: number;
  fromBatchNumber?: number;
  /** Batch numbers [from, to) of every stream are built. */
  toBatchNumber: number;
}

export interface PreparationReport {
  readonly threads: number;
  readonly batchCount: number;
  readonly transactionCount: number;
  readonly byteCount: number;
  readonly elapsedMs: number;
}

/** Batches of every stream for batch numbers [fromBatchNumber, toBatchNumber). */
export class PreparedBatches {
  readonly fromBatchNumber: number;
  readonly toBatchNumber: number;
  readonly #byStream: Array<Array<PreparedBatch | undefined>>;

  constructor(streamCount: number, fromBatchNumber: number, toBatchNumber: number) {
    this.fromBatchNumber = fromBatchNumber;
    this.toBatchNumber = toBatchNumber;
    this.#byStream = Array.from({ length: streamCount }, () => new Array<PreparedBatch | undefined>(toBatchNumber - fromBatchNumber));
  }

  put(stream: number, batchNumber: number, batch: PreparedBatch): void {
    const list = this.#byStream[stream];
    assert(list !== undefined && batchNumber >= this.fromBatchNumber && batchNumber < this.toBatchNumber, `batch ${batchNumber} of stream ${stream} belongs to this chunk`);
    list[batchNumber - this.fromBatchNumber] = batch;
  }

  /** The batch, kept: for pools that several runs send from. */
  peek(stream: number, batchNumber: number): PreparedBatch | undefined {
    const list = this.#byStream[stream];
    if (list === undefined || batchNumber < this.fromBatchNumber || batchNumber >= this.toBatchNumber) return undefined;
    return list[batchNumber - this.fromBatchNumber];
  }

  /** The batch, handed over once: the chunk lets go of it so sent bytes can be collected. */
  take(stream: number, batchNumber: number): PreparedBatch | undefined {
    const list = this.#byStream[stream];
    if (list === undefined || batchNumber < this.fromBatchNumber || batchNumber >= this.toBatchNumber) return undefined;
    const batch = list[batchNumber - this.fromBatchNumber];
    list[batchNumber - this.fromBatchNumber] = undefined;
    return batch;
  }
}

function threadCount(threads: number | undefined): number {
  const resolved = threads ?? os.availableParallelism();
  if (!Number.isInteger(resolved) || resolved <= 0) throw invalidArgument('threads', `must be a positive whole number, got ${resolved}`);
  return resolved;
}

/** Builds batch numbers [from, to) of every stream across worker threads. */
export async function prepareBatches(plan: WorkloadPlan, options: PreparationOptions): Promise<{ batches: PreparedBatches; report: PreparationReport }> {
  checkPlan(plan);
  const from = options.fromBatchNumber ?? 0;
  const to = options.toBatchNumber;
  if (!Number.isSafeInteger(from) || from < 0 || !Number.isSafeInteger(to) || to <= from) {
    throw invalidArgument('toBatchNumber', `must be a whole number above fromBatchNumber (${from}), got ${to}`);
  }
  const itemCount = (to - from) * plan.streamCount;
  const threads = Math.min(threadCount(options.threads), itemCount);
  const batches = new PreparedBatches(plan.streamCount, from, to);
  const started = performance.now();
  let transactionCount = 0;
  let byteCount = 0;
  let received = 0;
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: threads }, (_, offset) => {
        const task: PreparationTask = { plan, fromBatchNumber: from, toBatchNumber: to, offset, stride: threads };
        const worker = new Worker(new URL('./preparation-worker.js', import.meta.url), { workerData: task });
        workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          worker.on('message', (message: PreparationMessage) => {
            if (message.type === 'batch') {
              const bytes = Buffer.from(message.bytes);
              batches.put(message.stream, message.batchNumber, { batchId: message.batchId, transactionCount: message.transactionCount, bytes });
              transactionCount += message.transactionCount;
              byteCount += bytes.length;
              received += 1;
            } else if (message.type === 'done') {
              resolve();
            } else {
              reject(new AurigraphError('failed_precondition', `workload preparation failed: ${message.message}`));
            }
          });
          worker.on('error', reject);
          worker.on('exit', (code) => reject(new Error(`a workload preparation thread exited (code ${code}) before it finished`)));
        });
      }),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  assert(received === itemCount, `every batch was prepared: ${received} of ${itemCount}`);
  return { batches, report: { threads, batchCount: itemCount, transactionCount, byteCount, elapsedMs: performance.now() - started } };
}

/** Everything prepared up front: the source for a measured run. */
export class FixedWorkload implements BatchSource {
  readonly streamCount: number;
  readonly endBatchNumber: number;
  readonly #batches: PreparedBatches;

  constructor(plan: WorkloadPlan, batches: PreparedBatches) {
    this.streamCount = plan.streamCount;
    this.endBatchNumber = batches.toBatchNumber;
    this.#batches = batches;
  }

  take(stream: number, batchNumber: number): PreparedBatch {
    const batch = this.#batches.take(stream, batchNumber);
    if (batch === undefined) throw new AurigraphError('failed_precondition', `batch ${batchNumber} of stream ${stream} was not prepared or was already sent`);
    return batch;
  }
}

/**
 * A pool several runs send from, each against a fresh ledger (nonces from the plan's start
 * nonces again): batches are kept, not released. It can be extended with later batch numbers,
 * so a short probe can size the pool before the long runs.
 */
export class ReusableWorkload implements BatchSource {
  readonly streamCount: number;
  readonly #plan: WorkloadPlan;
  readonly #chunks: PreparedBatches[] = [];
  readonly reports: PreparationReport[] = [];

  constructor(plan: WorkloadPlan) {
    checkPlan(plan);
    this.#plan = plan;
    this.streamCount = plan.streamCount;
  }

  get endBatchNumber(): number {
    return this.#chunks.at(-1)?.toBatchNumber ?? 0;
  }

  get transactionCount(): number {
    return this.endBatchNumber * this.streamCount * this.#plan.batchSize;
  }

  /** Prepares batch numbers up to `toBatchNumber` (exclusive) that the pool does not hold yet. */
  async extendTo(toBatchNumber: number, threads?: number): Promise<PreparationReport | null> {
    const from = this.endBatchNumber;
    if (toBatchNumber <= from) return null;
    const { batches, report } = await prepareBatches(this.#plan, { fromBatchNumber: from, toBatchNumber, ...(threads === undefined ? {} : { threads }) });
    this.#chunks.push(batches);
    this.reports.push(report);
    return report;
  }

  take(stream: number, batchNumber: number): PreparedBatch {
    for (const chunk of this.#chunks) {
      const batch = chunk.peek(stream, batchNumber);
      if (batch !== undefined) return batch;
    }
    throw new AurigraphError('failed_precondition', `batch ${batchNumber} of stream ${stream} is not in the prepared pool (it holds ${this.endBatchNumber} per stream)`);
  }
}

/**
 * Prepares chunks of `chunkBatches` batch numbers (of every stream) ahead of what is taken: when
 * a batch of the newest chunk is taken, the next chunk starts building. Memory holds at most
 * about two chunks. Taking a batch whose chunk is still building waits for it, and is counted.
 */
export class RollingWorkload implements BatchSource {
  readonly streamCount: number;
  readonly endBatchNumber = Number.POSITIVE_INFINITY;
  readonly #plan: WorkloadPlan;
  readonly #chunkBatches: number;
  readonly #threads: number;
  readonly #chunks = new Map<number, Promise<PreparedBatches>>();
  readonly #ready = new Map<number, PreparedBatches>();
  readonly reports: PreparationReport[] = [];
  /** Takes that had to wait for preparation: the generator was the bottleneck for them. */
  waitedTakes = 0;
  #failure: Error | undefined;

  constructor(plan: WorkloadPlan, options: { chunkBatches: number; threads?: number }) {
    checkPlan(plan);
    if (!Number.isSafeInteger(options.chunkBatches) || options.chunkBatches <= 0) {
      throw invalidArgument('chunkBatches', `must be a positive whole number, got ${options.chunkBatches}`);
    }
    this.#plan = plan;
    this.streamCount = plan.streamCount;
    this.#chunkBatches = options.chunkBatches;
    this.#threads = threadCount(options.threads);
  }

  /** Prepares the first chunk; call before the clock starts. */
  async start(): Promise<PreparationReport> {
    await this.#chunk(0);
    return this.reports[0]!;
  }

  take(stream: number, batchNumber: number): PreparedBatch | Promise<PreparedBatch> {
    if (this.#failure !== undefined) throw this.#failure;
    const chunkIndex = Math.floor(batchNumber / this.#chunkBatches);
    if (!this.#chunks.has(chunkIndex + 1)) void this.#chunk(chunkIndex + 1).catch(() => undefined);
    // Chunks two behind are finished with (every stream moves through numbers in order).
    this.#ready.delete(chunkIndex - 2);
    this.#chunks.delete(chunkIndex - 2);
    const ready = this.#ready.get(chunkIndex);
    if (ready !== undefined) return this.#takeFrom(ready, stream, batchNumber);
    this.waitedTakes += 1;
    return this.#chunk(chunkIndex).then((chunk) => this.#takeFrom(chunk, stream, batchNumber));
  }

  #takeFrom(chunk: PreparedBatches, stream: number, batchNumber: number): PreparedBatch {
    const batch = chunk.take(stream, batchNumber);
    if (batch === undefined) throw new AurigraphError('failed_precondition', `batch ${batchNumber} of stream ${stream} was already sent`);
    return batch;
  }

  #chunk(chunkIndex: number): Promise<PreparedBatches> {
    let chunk = this.#chunks.get(chunkIndex);
    if (chunk === undefined) {
      const from = chunkIndex * this.#chunkBatches;
      chunk = prepareBatches(this.#plan, { fromBatchNumber: from, toBatchNumber: from + this.#chunkBatches, threads: this.#threads }).then(
        ({ batches, report }) => {
          this.reports.push(report);
          if (this.#chunks.has(chunkIndex)) this.#ready.set(chunkIndex, batches);
          return batches;
        },
        (error: unknown) => {
          this.#failure = error instanceof Error ? error : new Error(String(error));
          throw this.#failure;
        },
      );
      this.#chunks.set(chunkIndex, chunk);
    }
    return chunk;
  }
}
