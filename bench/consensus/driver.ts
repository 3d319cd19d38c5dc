/**
 * The load generator, in a process of its own (DESIGN.md, Performance): `concurrency` callers
 * in a closed loop, each sending one entry per call — ConsensusService.Propose with one payload
 * to Aurigraph's leader, KV.Put of one key to etcd's leader — and timing each call from send to
 * answer, which both systems give once the entry is committed. Calls that start and finish
 * inside the measured window count; the warm-up before it does not.
 */
import { build } from 'hdr-histogram-js';
import { runAsChildTask } from '../common/child-task.js';
import { createClient } from '../../src/client/index.js';
import { EtcdClient } from './etcd-client.js';

export interface DriverInput {
  system: 'aurigraph' | 'etcd';
  /** The leader's host:port. */
  address: string;
  entryBytes: number;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

export interface DriverResult {
  committed: number;
  failed: number;
  firstError: string | undefined;
  /** The measured window. */
  durationMs: number;
  latencyUs: { p50: number; p99: number; p999: number; max: number; mean: number };
}

type Operation = (caller: number) => Promise<void>;

function operationFor(input: DriverInput): { run: Operation; close(): void } {
  const value = Buffer.alloc(input.entryBytes, 0x5a);
  if (input.system === 'aurigraph') {
    const client = createClient(input.address, { deadlineMs: 30_000 });
    const payloads = [new Uint8Array(value)];
    return { run: async () => void (await client.consensus.propose({ payloads })), close: () => client.close() };
  }
  const client = new EtcdClient(input.address);
  const keys = Array.from({ length: input.concurrency }, (_, caller) => Buffer.from(`bench/${caller}`));
  return { run: (caller) => client.put(keys[caller]!, value), close: () => client.close() };
}

runAsChildTask<DriverInput, never, DriverResult>(async (input) => {
  const operation = operationFor(input);
  const histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const measureFromMs = performance.now() + input.warmupMs;
  const measureUntilMs = measureFromMs + input.durationMs;
  let committed = 0;
  let failed = 0;
  let firstError: string | undefined;
  const caller = async (index: number): Promise<void> => {
    while (performance.now() < measureUntilMs) {
      const startedMs = performance.now();
      try {
        await operation.run(index);
      } catch (error) {
        failed += 1;
        firstError ??= (error as Error).message;
        continue;
      }
      const finishedMs = performance.now();
      if (startedMs >= measureFromMs && finishedMs <= measureUntilMs) {
        committed += 1;
        histogram.recordValue(Math.max(1, Math.round((finishedMs - startedMs) * 1000)));
      }
    }
  };
  await Promise.all(Array.from({ length: input.concurrency }, (_, index) => caller(index)));
  operation.close();
  const result: DriverResult = {
    committed,
    failed,
    firstError,
    durationMs: input.durationMs,
    latencyUs: {
      p50: histogram.getValueAtPercentile(50),
      p99: histogram.getValueAtPercentile(99),
      p999: histogram.getValueAtPercentile(99.9),
      max: histogram.maxValue,
      mean: histogram.mean,
    },
  };
  histogram.destroy();
  return result;
});
