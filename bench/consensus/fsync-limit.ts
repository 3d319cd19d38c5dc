/**
 * The limit beside the consensus figures: how many fsynced LMDB commits this disk takes per
 * second when each commit carries one entry (no group commit), measured in a process of its own
 * in the same run. A consensus log that commits more entries per second than this is batching
 * them into shared fsyncs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'hdr-histogram-js';
import { open, TransactionFlags } from 'lmdb';
import { runAsChildTask } from '../common/child-task.js';

export interface FsyncLimitInput {
  entryBytes: number;
  durationMs: number;
}

export interface FsyncLimitResult {
  commitsPerSecond: number;
  latencyUs: { p50: number; p99: number; p999: number };
}

runAsChildTask<FsyncLimitInput, never, FsyncLimitResult>(async (input) => {
  const directory = mkdtempSync(path.join(tmpdir(), 'aurigraph-fsync-limit-'));
  const environment = open({ path: directory, noSync: false, overlappingSync: false, compression: false });
  const entries = environment.openDB<Buffer, Buffer>('entries', { keyEncoding: 'binary', encoding: 'binary' });
  const histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const value = Buffer.alloc(input.entryBytes, 0x5a);
  const key = Buffer.alloc(8);
  let commits = 0;
  const startedMs = performance.now();
  try {
    while (performance.now() - startedMs < input.durationMs) {
      const commitStartedMs = performance.now();
      key.writeBigUInt64BE(BigInt(commits + 1));
      environment.transactionSync(() => {
        entries.put(key, value);
      }, TransactionFlags.ABORTABLE | TransactionFlags.SYNCHRONOUS_COMMIT);
      histogram.recordValue(Math.max(1, Math.round((performance.now() - commitStartedMs) * 1000)));
      commits += 1;
    }
    const elapsedMs = performance.now() - startedMs;
    return {
      commitsPerSecond: (commits * 1000) / elapsedMs,
      latencyUs: { p50: histogram.getValueAtPercentile(50), p99: histogram.getValueAtPercentile(99), p999: histogram.getValueAtPercentile(99.9) },
    };
  } finally {
    histogram.destroy();
    await environment.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
