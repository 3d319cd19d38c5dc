/**
 * Runs a sequence-producer worker and a sequence-consumer worker on one ring and returns what
 * each reported, with the ring's own counters. Bounded: the workers fail after a stall, and the
 * whole run is abandoned (workers terminated) after `runTimeoutMs`.
 */
import { createRing, readRingStats, type RingStats } from '../../src/ring/index.js';
import type { SequenceConsumerData, SequenceConsumerDone } from '../fixtures/ring/sequence-consumer.js';
import type { SequenceProducerData, SequenceProducerDone } from '../fixtures/ring/sequence-producer.js';
import { awaitMessage, isDone, startFixture, terminateAll } from './worker-harness.js';

export interface SequencePairOptions {
  records: number;
  recordBytes: number;
  recordCount: number;
  firstSequence?: number;
  producerBatchRecordsMax: number;
  consumerBatchRecordsMax: number;
  producerApi: 'zero-copy' | 'copy';
  consumerApi: 'zero-copy' | 'copy';
  runTimeoutMs: number;
  /** Lets a test prepare the fresh ring (for example move its sequence counters) before attaching. */
  prepareRing?: (buffer: SharedArrayBuffer) => void;
}

export interface SequencePairResult {
  sent: SequenceProducerDone;
  received: SequenceConsumerDone;
  stats: RingStats;
  byteLengthBefore: number;
  byteLengthAfter: number;
}

const waitTimeoutMs = 250;
const stalledWaitsMax = 40;

export async function runSequencePair(options: SequencePairOptions): Promise<SequencePairResult> {
  const buffer = createRing({ records: options.records, recordBytes: options.recordBytes });
  options.prepareRing?.(buffer);
  const byteLengthBefore = buffer.byteLength;
  const firstSequence = options.firstSequence ?? 0;
  const consumerData: SequenceConsumerData = {
    buffer,
    firstSequence,
    batchRecordsMax: options.consumerBatchRecordsMax,
    api: options.consumerApi,
    waitTimeoutMs,
    stalledWaitsMax,
  };
  const producerData: SequenceProducerData = {
    buffer,
    firstSequence,
    recordCount: options.recordCount,
    batchRecordsMax: options.producerBatchRecordsMax,
    api: options.producerApi,
    closeWhenDone: true,
    waitTimeoutMs,
    stalledWaitsMax,
  };
  const consumer = startFixture('sequence-consumer', consumerData);
  const producer = startFixture('sequence-producer', producerData);
  try {
    const [sent, received] = await Promise.all([
      awaitMessage(producer, isDone<SequenceProducerDone>, 'the producer finishing', options.runTimeoutMs),
      awaitMessage(consumer, isDone<SequenceConsumerDone>, 'the consumer finishing', options.runTimeoutMs),
    ]);
    return { sent, received, stats: readRingStats(buffer), byteLengthBefore, byteLengthAfter: buffer.byteLength };
  } finally {
    await terminateAll([producer, consumer]);
  }
}
