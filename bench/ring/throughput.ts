/**
 * Ring micro-benchmark: records per second from a producer worker to a consumer worker through
 * one ring, for a few record sizes and batch sizes. Prints one JSON line per case and a table.
 *
 *   npm run build && node dist/bench/ring/throughput.js [recordCount]
 *
 * It measures the ring alone (no decoding, no verification); compare it with the node's
 * end-to-end figures to see how much of the budget the hand-off takes.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { createRing } from '../../src/ring/index.js';
import type { RingWorkerData, RingWorkerDone } from './ring-worker.js';

interface BenchCase {
  records: number;
  recordBytes: number;
  batchRecordsMax: number;
}

const cases: BenchCase[] = [
  { records: 4096, recordBytes: 16, batchRecordsMax: 1 },
  { records: 4096, recordBytes: 16, batchRecordsMax: 32 },
  { records: 4096, recordBytes: 16, batchRecordsMax: 256 },
  { records: 4096, recordBytes: 64, batchRecordsMax: 256 },
  { records: 1024, recordBytes: 256, batchRecordsMax: 64 },
];
const caseTimeoutMs = 120_000;

function runSide(data: RingWorkerData): { worker: Worker; done: Promise<RingWorkerDone> } {
  const worker = new Worker(new URL('./ring-worker.js', import.meta.url), { workerData: data });
  const done = new Promise<RingWorkerDone>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${data.role} did not finish within ${caseTimeoutMs} ms`)), caseTimeoutMs);
    worker.once('message', (message: RingWorkerDone) => {
      clearTimeout(timer);
      resolve(message);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return { worker, done };
}

async function runCase(benchCase: BenchCase, recordCount: number): Promise<Record<string, number>> {
  const buffer = createRing({ records: benchCase.records, recordBytes: benchCase.recordBytes });
  const shared = { buffer, recordCount, batchRecordsMax: benchCase.batchRecordsMax };
  const consumer = runSide({ ...shared, role: 'consumer' });
  const producer = runSide({ ...shared, role: 'producer' });
  try {
    const [, consumed] = await Promise.all([producer.done, consumer.done]);
    const recordsPerSecond = Math.round(recordCount / (consumed.elapsedMs / 1000));
    return {
      ...benchCase,
      recordCount,
      elapsedMs: Math.round(consumed.elapsedMs),
      recordsPerSecond,
      megabytesPerSecond: Math.round((recordsPerSecond * benchCase.recordBytes) / 1e6),
    };
  } finally {
    await Promise.all([producer.worker.terminate(), consumer.worker.terminate()]);
  }
}

const recordCount = Number(process.argv[2] ?? 10_000_000);
if (!Number.isSafeInteger(recordCount) || recordCount < 1) throw new Error(`recordCount must be a positive integer, got ${process.argv[2]}`);
console.log(JSON.stringify({ node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown' }));
const rows: Array<Record<string, number>> = [];
for (const benchCase of cases) {
  const row = await runCase(benchCase, recordCount);
  console.log(JSON.stringify(row));
  rows.push(row);
}
console.table(rows);
