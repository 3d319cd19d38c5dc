/**
 * Consensus benchmark: committed entries per second and commit latency (P50/P99/P99.9, HDR
 * histogram) of Aurigraph's Raft, for 1 and 3 nodes and 1 KiB and 64 KiB entries, beside etcd
 * on the same machine in the same run, and beside the fsynced-commit limit of this disk.
 * Every system runs as real processes on loopback; the load comes from a separate client
 * process (driver.ts). Writes the bench:consensus section of BENCHMARKS.md.
 *
 *   npm run bench:consensus                   about 5 minutes
 *   node dist/bench/consensus/run.js --duration-ms 5000 --no-write
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeSection, type SectionMarkers } from '../crypto/markdown-section.js';
import { runInChildProcess } from '../common/child-process.js';
import { formatFigure, formatMicroseconds, truncate } from '../common/format.js';
import { describeMachine, formatMachine, formatMachineLoad } from '../common/machine.js';
import { repoRoot } from '../../src/paths.js';
import { aurigraphProfileArgs, etcdVersion, startAurigraph, startEtcd, type RunningCluster } from './clusters.js';
import type { DriverInput, DriverResult } from './driver.js';
import type { FsyncLimitInput, FsyncLimitResult } from './fsync-limit.js';

export const consensusMarkers: SectionMarkers = {
  start: '<!-- bench:consensus:start -->',
  end: '<!-- bench:consensus:end -->',
};

const { values } = parseArgs({
  options: {
    'duration-ms': { type: 'string', default: '10000' },
    'warmup-ms': { type: 'string', default: '2000' },
    'no-write': { type: 'boolean', default: false },
  },
});
const durationMs = Number(values['duration-ms']);
const warmupMs = Number(values['warmup-ms']);
if (!Number.isInteger(durationMs) || durationMs < 1000) throw new Error(`--duration-ms must be a whole number of at least 1000, got ${values['duration-ms']}`);
if (!Number.isInteger(warmupMs) || warmupMs < 0) throw new Error(`--warmup-ms must be a whole number, got ${values['warmup-ms']}`);

/** Calls in flight from the client: enough to fill a group commit, the same for both systems. */
const concurrencyByEntryBytes: Record<number, number> = { 1024: 64, 65536: 16 };
const entrySizes = [1024, 65536];
const clusterSizes = [1, 3];

interface Measurement {
  system: 'aurigraph' | 'etcd';
  nodes: number;
  entryBytes: number;
  concurrency: number;
  result: DriverResult;
}

function drive(input: DriverInput): Promise<DriverResult> {
  return runInChildProcess<DriverInput, DriverResult>({
    module: new URL('./driver.js', import.meta.url),
    label: `${input.system} driver`,
    input,
    timeoutMs: input.warmupMs + input.durationMs + 120_000,
  });
}

/** Rounds per case: the machine is shared, so each system gets its best of these, measured alternately. */
const rounds = 2;

async function measureBoth(nodes: number, directory: string): Promise<Measurement[]> {
  const aurigraph = await startAurigraph(nodes, path.join(directory, `aurigraph-${nodes}`));
  let etcd: RunningCluster;
  try {
    etcd = await startEtcd(nodes, path.join(directory, `etcd-${nodes}`));
  } catch (error) {
    await aurigraph.stop();
    throw error;
  }
  const clusters: Record<Measurement['system'], RunningCluster> = { aurigraph, etcd };
  const measurements: Measurement[] = [];
  try {
    for (const entryBytes of entrySizes) {
      const concurrency = concurrencyByEntryBytes[entryBytes]!;
      const best = new Map<Measurement['system'], Measurement>();
      for (let round = 1; round <= rounds; round++) {
        for (const system of ['aurigraph', 'etcd'] as const) {
          process.stderr.write(`bench:consensus: ${system}, ${nodes} node(s), ${entryBytes}-byte entries, ${concurrency} calls in flight, round ${round}…\n`);
          const result = await drive({ system, address: clusters[system].leaderAddress, entryBytes, concurrency, warmupMs, durationMs });
          if (result.committed === 0) throw new Error(`${system} committed nothing: ${result.firstError ?? 'no error reported'}`);
          const measurement: Measurement = { system, nodes, entryBytes, concurrency, result };
          process.stderr.write(`  ${formatFigure(perSecond(measurement))} committed/s, P50 ${formatMicroseconds(result.latencyUs.p50)}, P99 ${formatMicroseconds(result.latencyUs.p99)}, ${result.failed} failed\n`);
          const previous = best.get(system);
          if (previous === undefined || perSecond(measurement) > perSecond(previous)) best.set(system, measurement);
        }
      }
      measurements.push(best.get('aurigraph')!, best.get('etcd')!);
    }
  } finally {
    await clusters.aurigraph.stop();
    await clusters.etcd.stop();
  }
  return measurements;
}

function perSecond(measurement: Measurement): number {
  return (measurement.result.committed * 1000) / measurement.result.durationMs;
}

function sizeLabel(bytes: number): string {
  return bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`;
}

function render(
  measurements: readonly Measurement[],
  limits: ReadonlyMap<number, FsyncLimitResult>,
  context: { machine: ReturnType<typeof describeMachine>; etcd: string; elapsedS: number },
): string {
  const find = (system: Measurement['system'], nodes: number, entryBytes: number): Measurement =>
    measurements.find((candidate) => candidate.system === system && candidate.nodes === nodes && candidate.entryBytes === entryBytes)!;
  const lines: string[] = [];
  lines.push('## Consensus: committed entries (`bench/consensus/run.ts`)', '');
  lines.push(
    `Command: \`npm run bench:consensus\` · ${formatMachine(context.machine)} · run ${context.machine.takenAt.slice(0, 10)}, ` +
      `${context.elapsedS} s, ${formatMachineLoad(context.machine)} at start`,
    '',
  );
  lines.push(
    `Aurigraph: \`aurigraph start ${aurigraphProfileArgs.join(' ')}\` — the Raft log in LMDB, fsynced per Ready (group commit: ` +
      'window 1 ms, at most 1,024 entries), applied to the digest state machine (so these are figures of consensus and the log, ' +
      'not of transaction execution). etcd ' + context.etcd + ' (Debian etcd-server) with default durability: its WAL is fsynced ' +
      'before a write is acknowledged; auto-compaction every 10,000 revisions.',
    '',
    `Load: one client process (Node.js gRPC for both), calls in flight as listed, one entry per call — \`Propose\` with one payload ` +
      `to Aurigraph's leader, \`KV.Put\` of one key to etcd's leader — ${warmupMs / 1000} s warm-up, then ${durationMs / 1000} s measured; ` +
      `${rounds} rounds per case, the systems alternating, each system's best round shown (this VM is shared, so load varies). ` +
      'Latency is the call\'s round trip: both answer once the entry is committed (on a majority when 3 nodes). All nodes and the ' +
      'client share this machine\'s cores.',
    '',
  );
  lines.push('| Nodes | Entry | In flight | Aurigraph entries/s | P50 | P99 | P99.9 | etcd entries/s | P50 | P99 | P99.9 | Aurigraph / etcd |');
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const nodes of clusterSizes) {
    for (const entryBytes of entrySizes) {
      const ours = find('aurigraph', nodes, entryBytes);
      const theirs = find('etcd', nodes, entryBytes);
      const ratio = perSecond(ours) / perSecond(theirs);
      lines.push(
        `| ${nodes} | ${sizeLabel(entryBytes)} | ${ours.concurrency} | ${formatFigure(perSecond(ours))} | ${formatMicroseconds(ours.result.latencyUs.p50)} | ` +
          `${formatMicroseconds(ours.result.latencyUs.p99)} | ${formatMicroseconds(ours.result.latencyUs.p999)} | ${formatFigure(perSecond(theirs))} | ` +
          `${formatMicroseconds(theirs.result.latencyUs.p50)} | ${formatMicroseconds(theirs.result.latencyUs.p99)} | ` +
          `${formatMicroseconds(theirs.result.latencyUs.p999)} | ${truncate(ratio, 2).toFixed(2)}× |`,
      );
    }
  }
  lines.push('');
  const failures = measurements.filter((measurement) => measurement.result.failed > 0);
  if (failures.length > 0) {
    lines.push(
      `Failed calls: ${failures.map((failure) => `${failure.system} ${failure.nodes}/${sizeLabel(failure.entryBytes)}: ${failure.result.failed} (${failure.result.firstError})`).join('; ')}.`,
      '',
    );
  }
  lines.push('Limit in the same run — fsynced LMDB commits on this disk, one entry per commit (no group commit), one process:', '');
  lines.push('| Entry | commits/s | P50 | P99 | P99.9 |', '| ---: | ---: | ---: | ---: | ---: |');
  for (const entryBytes of entrySizes) {
    const limit = limits.get(entryBytes)!;
    lines.push(
      `| ${sizeLabel(entryBytes)} | ${formatFigure(limit.commitsPerSecond)} | ${formatMicroseconds(limit.latencyUs.p50)} | ` +
        `${formatMicroseconds(limit.latencyUs.p99)} | ${formatMicroseconds(limit.latencyUs.p999)} |`,
    );
  }
  lines.push(
    '',
    'Entries per second above the limit mean several entries share one fsync (group commit). Caveats: etcd also applies each ' +
      'entry to its MVCC store (bbolt, committed in batches), which the digest state machine does not; both run with the same ' +
      'client and on the same disk; both clusters stay up during a case and are driven one at a time.',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const machine = describeMachine();
  const startedMs = Date.now();
  const etcd = await etcdVersion();
  const directory = mkdtempSync(path.join(tmpdir(), 'aurigraph-bench-consensus-'));
  const measurements: Measurement[] = [];
  const limits = new Map<number, FsyncLimitResult>();
  try {
    for (const entryBytes of entrySizes) {
      const limit = await runInChildProcess<FsyncLimitInput, FsyncLimitResult>({
        module: new URL('./fsync-limit.js', import.meta.url),
        label: 'fsync limit',
        input: { entryBytes, durationMs: Math.min(durationMs, 5_000) },
        timeoutMs: 60_000,
      });
      limits.set(entryBytes, limit);
    }
    for (const nodes of clusterSizes) measurements.push(...(await measureBoth(nodes, directory)));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  const section = render(measurements, limits, { machine, etcd, elapsedS: Math.round((Date.now() - startedMs) / 1000) });
  process.stdout.write(`${section}\n`);
  if (!values['no-write']) writeSection(path.join(repoRoot, 'BENCHMARKS.md'), consensusMarkers, section);
}

await main();
