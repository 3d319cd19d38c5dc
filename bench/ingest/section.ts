/**
 * The BENCHMARKS.md section of the ingest benchmark: the machine, command and profile; the
 * measured throughput and receipt latency per configuration; node memory at full speed; the
 * limits measured in the same run and each headline figure as a ratio against them; and the
 * issue's targets, each met or missed by how much. Figures are truncated, never rounded up.
 */
import type { SectionMarkers } from '../crypto/markdown-section.js';
import { formatFigure, formatMicroseconds, formatRatio, truncate } from '../common/format.js';
import { formatMachine, formatMachineLoad, type MachineDescription } from '../common/machine.js';
import { describeGrpcConfiguration, headlineLimits, type LimitsReport } from '../limits/suite.js';
import type { PreparationReport } from '../../src/loadgen/transactions/prepared-workload.js';
import type { MemorySample, ThreadHeapReport } from '../../src/loadgen/transactions/memory-sampler.js';
import type { IngestMeasurement } from './scenarios.js';

/** The throughput shape's id: batch-signed at the profile's largest batch. */
export const largestBatchShapeId = 'batch-signed-largest';

export const ingestMarkers: SectionMarkers = {
  start: '<!-- bench:ingest:start -->',
  end: '<!-- bench:ingest:end -->',
};

export interface NodeMemorySummary {
  readonly durationSec: number;
  readonly sampleCount: number;
  readonly peakRssBytes: number;
  readonly finalRssBytes: number;
  readonly peakRssAnonBytes: number;
  readonly finalRssAnonBytes: number;
  readonly peakRssFileBytes: number;
  readonly finalRssFileBytes: number;
  readonly peakRssShmemBytes: number;
  readonly finalRssShmemBytes: number;
  /** Per thread, its largest V8 heap figures from the node's `runtime` log lines; empty when none. */
  readonly threadHeaps: readonly ThreadHeapReport[];
}

/** Issue #5: the whole node (every thread) under 256 MiB of RSS at full load. */
export const nodeMemoryBoundBytes = 256 * 2 ** 20;

export function summarizeNodeMemory(samples: readonly MemorySample[], durationSec: number, threadHeaps: readonly ThreadHeapReport[]): NodeMemorySummary | null {
  if (samples.length === 0) return null;
  const last = samples[samples.length - 1]!;
  const peak = (field: 'rssBytes' | 'rssAnonBytes' | 'rssFileBytes' | 'rssShmemBytes') => Math.max(...samples.map((sample) => sample[field]));
  return {
    durationSec,
    sampleCount: samples.length,
    peakRssBytes: peak('rssBytes'),
    finalRssBytes: last.rssBytes,
    peakRssAnonBytes: peak('rssAnonBytes'),
    finalRssAnonBytes: last.rssAnonBytes,
    peakRssFileBytes: peak('rssFileBytes'),
    finalRssFileBytes: last.rssFileBytes,
    peakRssShmemBytes: peak('rssShmemBytes'),
    finalRssShmemBytes: last.rssShmemBytes,
    threadHeaps,
  };
}

function memoryVerdict(label: string, bytes: number): string {
  const bound = mebibytes(nodeMemoryBoundBytes);
  return bytes <= nodeMemoryBoundBytes
    ? `| ${label} ≤ ${bound} | ${mebibytes(bytes)} | met |`
    : `| ${label} ≤ ${bound} | ${mebibytes(bytes)} | **missed** by ${mebibytes(bytes - nodeMemoryBoundBytes)} |`;
}

/**
 * The memory table of one node run: the RSS parts (peak and final), each thread's V8 heap when
 * the node logged it, and the verdicts against the 256 MiB bound. `source` says which run it is.
 */
export function formatNodeMemory(memory: NodeMemorySummary, source: string): string[] {
  const lines = [
    `${source}, from \`/proc/<pid>/status\` every second (${count(memory.sampleCount)} samples). VmRSS = RssAnon + RssFile + RssShmem, every thread: ` +
      'RssAnon is private memory (V8 heaps, malloc, the shard rings), what a leak grows; RssFile is mapped file pages (the executable, LMDB), ' +
      'which the kernel can drop and re-read when memory runs short.',
    '',
    '| | VmRSS | RssAnon | RssFile | RssShmem |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| peak | ${mebibytes(memory.peakRssBytes)} | ${mebibytes(memory.peakRssAnonBytes)} | ${mebibytes(memory.peakRssFileBytes)} | ${mebibytes(memory.peakRssShmemBytes)} |`,
    `| final | ${mebibytes(memory.finalRssBytes)} | ${mebibytes(memory.finalRssAnonBytes)} | ${mebibytes(memory.finalRssFileBytes)} | ${mebibytes(memory.finalRssShmemBytes)} |`,
  ];
  if (memory.threadHeaps.length > 0) {
    lines.push(
      '',
      "Each thread's V8 heap, the largest value of each column over the node's `runtime` log lines (src/node/runtime-report.ts):",
      '',
      '| Thread | used | committed | cap | V8 malloc | external (ArrayBuffers) |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...memory.threadHeaps.map(
        (heap) =>
          `| ${heap.thread} | ${mebibytes(heap.usedBytes)} | ${mebibytes(heap.committedBytes)} | ${mebibytes(heap.limitBytes)} | ${mebibytes(heap.mallocedBytes)} | ${mebibytes(heap.externalBytes)} |`,
      ),
    );
  }
  lines.push('', '| Bound (issue #5) | Peak | Verdict |', '| --- | ---: | --- |', memoryVerdict('VmRSS, whole node', memory.peakRssBytes), memoryVerdict('RssAnon, whole node', memory.peakRssAnonBytes));
  return lines;
}

export interface IngestReport {
  readonly command: string;
  readonly profile: string;
  readonly workerThreads: number;
  readonly accountCount: number;
  readonly machineAtStart: MachineDescription;
  readonly machineAtEnd: MachineDescription;
  readonly elapsedSec: number;
  readonly limits: LimitsReport;
  readonly measurements: readonly IngestMeasurement[];
  readonly memory: NodeMemorySummary | null;
  readonly preparations: Record<string, PreparationReport[]>;
  /** Why the three-node rows are missing, when they are. */
  readonly clusterError: string | null;
}

const count = (value: number) => value.toLocaleString('en-US');
const mebibytes = (bytes: number) => `${formatFigure(bytes / 2 ** 20)} MiB`;
const milliseconds = (valueUs: number) => `${truncate(valueUs / 1000, 2).toFixed(2)} ms`;

function describeShape(measurement: IngestMeasurement): string {
  const { shape } = measurement;
  const signatures = shape.signatureMode === 'batch-signed' ? 'batch-signed' : 'per-transaction';
  return `${signatures}, ${count(shape.batchSize)}/batch`;
}

function describeSchedule(measurement: IngestMeasurement): string {
  const { shape, schedule } = measurement;
  if (schedule.kind === 'closed-loop') return `closed loop, ${shape.streams} streams × ${schedule.batchesInFlightPerStream} in flight (peak)`;
  return `open loop at ${formatFigure(schedule.transactionsPerSecond)} tx/s (half peak), ${shape.streams} streams`;
}

function generatorNote(measurement: IngestMeasurement): string {
  const notes: string[] = [];
  if (measurement.generator?.cannotKeepUp) notes.push(`schedule not kept (${measurement.generator.reason}, send lag P99 ${formatMicroseconds(measurement.generator.sendLagP99Us)})`);
  if (measurement.generatorEventLoopUtilization > 0.9) notes.push(`client thread ${Math.floor(measurement.generatorEventLoopUtilization * 100)}% busy`);
  if (measurement.sourceExhausted) notes.push('prepared batches ran out early');
  const client = `client ${truncate(measurement.generatorProcessCores, 2).toFixed(2)} cores`;
  return notes.length === 0 ? client : `${client}; ${notes.join('; ')}`;
}

function receiptsNote(measurement: IngestMeasurement): string {
  const { audit } = measurement;
  const bad = audit.missingReceipts + audit.duplicateReceipts + audit.unexpectedReceipts;
  const outcome = audit.rejected + audit.failed + audit.otherStatus === 0 ? 'all COMMITTED' : `${count(audit.rejected)} REJECTED, ${count(audit.failed)} FAILED`;
  const exactness = bad === 0 ? 'one each' : `${count(audit.missingReceipts)} missing, ${count(audit.duplicateReceipts)} duplicate, ${count(audit.unexpectedReceipts)} unexpected`;
  const errors = measurement.batchErrors === 0 ? '' : `; ${count(measurement.batchErrors)} batch errors (${measurement.errorMessages.slice(0, 2).join('; ')})`;
  return `${count(audit.receiptsReceived)} receipts, ${exactness}, ${outcome}${errors}`;
}

function find(report: IngestReport, nodes: number, shapeId: string, kind: IngestMeasurement['kind']): IngestMeasurement | undefined {
  return report.measurements.find((entry) => entry.nodes === nodes && entry.shape.id === shapeId && entry.kind === kind);
}

/** "met (1.23× the target)" or "missed by 21,725 tx/s: 0.78× the target (21.7% short)". */
function atLeast(measured: number, target: number, unit: string): string {
  const shown = truncate(measured);
  if (measured >= target) return `met: ${formatRatio(measured, target)} of the target`;
  return `**missed** by ${formatFigure(target - shown)} ${unit}: ${formatRatio(measured, target)} of the target`;
}

function below(measuredUs: number, targetMs: number): string {
  const targetUs = targetMs * 1000;
  if (measuredUs < targetUs) return `met: ${formatRatio(measuredUs, targetUs)} of the bound`;
  return `**missed** by ${milliseconds(measuredUs - targetUs)}: ${truncate(measuredUs / targetUs, 1).toFixed(1)}× the bound`;
}

export function formatIngestSection(report: IngestReport): string {
  const limits = headlineLimits(report.limits);
  const lines: string[] = [
    '## Ingest: signed transfers through the node (`bench/ingest/run.ts`)',
    '',
    `Command: \`${report.command}\` · ${formatMachine(report.machineAtStart)} · run ${report.machineAtStart.takenAt.slice(0, 10)}, ${report.elapsedSec.toFixed(0)} s · ` +
      `at start: ${formatMachineLoad(report.machineAtStart)}; at end: ${formatMachineLoad(report.machineAtEnd)}`,
    '',
    `Profile: \`${report.profile}\` (config/${report.profile}.yaml), ${report.workerThreads} shard worker threads, with per node \`--set ledger.genesisFile=…\` (${count(report.accountCount)} accounts ` +
      'from the published development seeds, each with its ML-DSA-65 key and the development batch submitter) and `--set log.level=info` (the harness reads the port from the log), ' +
      'a random keystore secret in `AURIGRAPH_KEYSTORE_SECRET`, and a fresh data folder per run; three nodes add `node.id` and `raft.peers` (loopback ports chosen at start). ' +
      'The nodes run in processes of their own; the client is the harness process, one HTTP/2 connection per `StreamTransactions` stream (src/loadgen/transactions).',
    'Workload: transfers (amount 1–1,000, fee 1), senders split between the streams and taken round robin (so each sender\'s nonces run in order on one stream), ' +
      'receivers drawn Zipf-like (exponent 1: hot accounts). Every batch is built and signed before the clock starts (preparation below). ' +
      'Peak = closed loop after a warm-up that also probes the rate; half peak = open loop at half the measured peak on a fresh node, latency from each batch\'s ' +
      'intended start (coordinated omission corrected). Latency is per batch, send → its last receipt (HDR, 3 significant digits); each transaction of a batch has its batch\'s latency. ' +
      'The machine is shared: the load figures above say how busy it was.',
    '',
    '### Throughput and receipt latency',
    '',
    '| Nodes | Workload | Schedule | measured | committed tx/s | P50 | P99 | P99.9 | max | receipts | generator |',
    '| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const measurement of report.measurements) {
    const latency = measurement.latency;
    lines.push(
      `| ${measurement.nodes} | ${describeShape(measurement)} | ${describeSchedule(measurement)} | ${truncate(measurement.durationSec, 1).toFixed(1)} s | ` +
        `**${formatFigure(measurement.committedPerSecond)}** | ${milliseconds(latency.p50Us)} | ${milliseconds(latency.p99Us)} | ${milliseconds(latency.p999Us)} | ${milliseconds(latency.maxUs)} | ` +
        `${receiptsNote(measurement)} | ${generatorNote(measurement)} |`,
    );
  }
  if (report.clusterError !== null) lines.push('', `Three nodes: not measured: ${report.clusterError}`);
  lines.push('', 'Preparation (signing included, 2 worker threads, before any clock): ');
  for (const [shape, reports] of Object.entries(report.preparations)) {
    const transactions = reports.reduce((sum, entry) => sum + entry.transactionCount, 0);
    const seconds = reports.reduce((sum, entry) => sum + entry.elapsedMs, 0) / 1000;
    lines.push(`- ${shape}: ${count(transactions)} transfers in ${truncate(seconds, 1).toFixed(1)} s (${formatFigure(transactions / seconds)} per second)`);
  }

  if (report.memory !== null) {
    lines.push(
      '',
      `### Node memory while a client sends as fast as it can (${truncate(report.memory.durationSec, 0)} s)`,
      '',
      ...formatNodeMemory(report.memory, 'The single node of the first row'),
    );
  }

  const onePeakLarge = find(report, 1, largestBatchShapeId, 'peak');
  const onePeakPer = find(report, 1, 'per-transaction-1024', 'peak');
  const threePeakLarge = find(report, 3, largestBatchShapeId, 'peak');
  const threePeakPer = find(report, 3, 'per-transaction-1024', 'peak');
  const verifyOne = limits.verifyPerSecondOneThread;
  const verifyAll = limits.verifyPerSecondAllThreads;
  const grpcLatencyFloor = report.limits.grpc.find((run) => run.configuration.batchesInFlightTotal === 1);

  lines.push('', '### Against the limits measured in this run', '');
  lines.push(
    `Limits: \`runLimitsSuite\` (bench/limits) in this run, shortened: raw gRPC ${report.limits.grpc.map((run) => describeGrpcConfiguration(run.configuration)).join('; ')}, ` +
      `${count(report.limits.grpc[0]?.configuration.durationMs ?? 0)} ms each; LMDB ${count(report.limits.lmdb.configuration.durationMsPerCase)} ms per case; ` +
      `verification ${count(report.limits.verification.configuration.durationMsPerCase)} ms per case. Full tables: the limits section above (\`npm run bench:limits\`).`,
    '',
    '| Figure | Measured | Limit (this run) | Ratio |',
    '| --- | ---: | --- | ---: |',
  );
  const ratioRow = (figure: string, measured: number | undefined, limitName: string, limit: number | undefined, format: (value: number) => string = formatFigure, latency = false) => {
    if (measured === undefined || limit === undefined || limit <= 0) return;
    // A latency above its floor reads better as "N× the floor" than as a percentage of it.
    const ratio = latency ? `${truncate(measured / limit, 1).toFixed(1)}× the floor` : formatRatio(measured, limit);
    lines.push(`| ${figure} | ${format(measured)} | ${limitName}: ${format(limit)} | ${ratio} |`);
  };
  if (onePeakLarge !== undefined) {
    ratioRow('batch-signed tx/s, 1 node', onePeakLarge.committedPerSecond, 'raw gRPC stream, batch-signed', limits.grpcBatchSigned?.transactionsPerSecond);
    ratioRow('batch-signed tx/s, 1 node', onePeakLarge.committedPerSecond, 'ledger `commitBlock` (LMDB)', limits.ledgerCommitTransactionsPerSecond);
    ratioRow('batch-signed tx/s, 1 node', onePeakLarge.committedPerSecond, `batch verify × ${report.workerThreads} threads`, limits.batchVerifyTransactionsPerSecondOneThread === undefined ? undefined : limits.batchVerifyTransactionsPerSecondOneThread * report.workerThreads);
  }
  if (onePeakPer !== undefined) {
    ratioRow('per-transaction tx/s, 1 node', onePeakPer.committedPerSecond, 'raw gRPC stream, per-transaction', limits.grpcPerTransaction?.transactionsPerSecond);
    ratioRow('per-transaction tx/s, 1 node', onePeakPer.committedPerSecond, `ML-DSA-65 verify, ${verifyAll?.threads ?? '?'} threads`, verifyAll?.operationsPerSecond);
    ratioRow('per-transaction tx/s, 1 node', onePeakPer.committedPerSecond, 'ledger `commitBlock` (LMDB)', limits.ledgerCommitTransactionsPerSecond);
  }
  const halfLarge = find(report, 1, largestBatchShapeId, 'half-peak');
  const halfSmall = find(report, 1, 'batch-signed-256', 'half-peak');
  const halfTiny = find(report, 1, 'batch-signed-32', 'half-peak');
  if (grpcLatencyFloor !== undefined) {
    for (const half of [halfLarge, halfSmall, halfTiny]) {
      if (half === undefined) continue;
      ratioRow(`P50 at half peak (${describeShape(half)})`, half.latency.p50Us, `raw gRPC round trip P50, 1 batch of ${count(grpcLatencyFloor.configuration.transactionsPerBatch)} in flight`, grpcLatencyFloor.batchRoundTrip.p50Us, formatMicroseconds, true);
    }
  }

  lines.push('', '### Targets (from the issue)', '', '| Target | Measured | Verdict |', '| --- | ---: | --- |');
  if (onePeakLarge !== undefined) {
    lines.push(`| batch-signed, 1 node ≥ 100,000 tx/s | ${formatFigure(onePeakLarge.committedPerSecond)} | ${atLeast(onePeakLarge.committedPerSecond, 100_000, 'tx/s')} |`);
    lines.push(`| batch-signed, 1 node, aim 250,000 tx/s | ${formatFigure(onePeakLarge.committedPerSecond)} | ${atLeast(onePeakLarge.committedPerSecond, 250_000, 'tx/s')} |`);
  }
  if (onePeakPer !== undefined && verifyOne !== undefined) {
    const target = 0.8 * report.workerThreads * verifyOne;
    lines.push(
      `| per-transaction, 1 node ≥ 0.8 × ${report.workerThreads} worker threads × ${formatFigure(verifyOne)} native verifications/s of one core = ${formatFigure(target)} tx/s | ` +
        `${formatFigure(onePeakPer.committedPerSecond)} | ${atLeast(onePeakPer.committedPerSecond, target, 'tx/s')} |`,
    );
  }
  for (const half of report.measurements.filter((entry) => entry.kind === 'half-peak')) {
    const where = `${half.nodes} node${half.nodes === 1 ? '' : 's'}, ${describeShape(half)}, half peak`;
    lines.push(`| ${where}: P50 < 2 ms | ${milliseconds(half.latency.p50Us)} | ${below(half.latency.p50Us, 2)} |`);
    lines.push(`| ${where}: P99 < 12 ms | ${milliseconds(half.latency.p99Us)} | ${below(half.latency.p99Us, 12)} |`);
    lines.push(`| ${where}: P99.9 < 25 ms | ${milliseconds(half.latency.p999Us)} | ${below(half.latency.p999Us, 25)} |`);
  }
  for (const [three, one, label] of [
    [threePeakLarge, onePeakLarge, 'batch-signed'],
    [threePeakPer, onePeakPer, 'per-transaction'],
  ] as const) {
    if (three === undefined || one === undefined) continue;
    const ratio = three.committedPerSecond / one.committedPerSecond;
    lines.push(
      `| three replicas ≥ 0.3 × one node (${label}) | ${formatFigure(three.committedPerSecond)} vs ${formatFigure(one.committedPerSecond)}: ${truncate(ratio, 2).toFixed(2)}× | ` +
        `${ratio >= 0.3 ? 'met' : `**missed** by ${truncate(0.3 - ratio, 2).toFixed(2)}× of one node`} |`,
    );
  }
  return lines.join('\n');
}
