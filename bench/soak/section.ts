/**
 * The BENCHMARKS.md section of a recorded soak: what `aurigraph soak` left in its output folder
 * (soak-result.json: verdict and checks; soak.json: the latency summary), as a table. Every
 * figure comes from those files; nothing here measures.
 */
import { invalidArgument } from '../../src/errors.js';
import { formatFigure, formatMicroseconds, truncate } from '../common/format.js';
import type { SectionMarkers } from '../crypto/markdown-section.js';

export const soakMarkers: SectionMarkers = { start: '<!-- bench:soak:start -->', end: '<!-- bench:soak:end -->' };

/** The parts of soak-result.json this section shows. */
export interface SoakRecordResult {
  readonly command: string;
  readonly verdict: 'PASS' | 'FAIL';
  readonly reasons: readonly string[];
  readonly warnings: readonly string[];
  readonly ratePerSecond: number;
  readonly durationSec: number;
  readonly committedPerSecond: number;
  readonly workload: { readonly signatureMode: string; readonly streams: number; readonly batchSize: number; readonly receiverSkew: number };
  readonly audit: {
    readonly transactionsSent: number;
    readonly receiptsReceived: number;
    readonly committed: number;
    readonly rejected: number;
    readonly failed: number;
    readonly missingReceipts: number;
    readonly duplicateReceipts: number;
    readonly unexpectedReceipts: number;
  };
  readonly checkpoints: readonly { readonly elapsedSec: number; readonly height: string; readonly consistent: boolean }[];
  readonly memory: { readonly status: string; readonly slopeBytesPerHour: number | null; readonly slopeBoundBytesPerHour: number; readonly windowStartSec: number; readonly windowEndSec: number; readonly sampleCount: number } | null;
  readonly nodeRss: { readonly peakBytes: number; readonly finalBytes: number } | null;
}

interface LatencySummary {
  readonly count: number;
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly maxUs: number;
}

/** The parts of soak.json (the src/report run summary) this section shows. */
export interface SoakRecordSummary {
  readonly corrected: LatencySummary;
  readonly uncorrected: LatencySummary | null;
  readonly intervals: readonly unknown[];
}

export interface SoakRecord {
  readonly result: SoakRecordResult;
  readonly summary: SoakRecordSummary;
  /** Machine and runtime line (bench/common/machine.ts) taken when the soak started. */
  readonly machineLine: string;
  /** Start of the soak, ISO 8601. */
  readonly startedAt: string;
  /** The npm command that ran it, for the reader to re-run. */
  readonly benchCommand: string;
  /** Where the report and its files were kept, relative to the repository. */
  readonly reportFolder: string;
}

function field(source: Record<string, unknown>, name: string, file: string, kind: 'number' | 'string' | 'object'): unknown {
  const value = source[name];
  if (typeof value !== kind || value === null) throw invalidArgument(name, `${file}: expected "${name}" to be a ${kind}, got ${JSON.stringify(value)}; is this a soak output folder written by aurigraph soak?`);
  return value;
}

/** soak-result.json checked for every field the section reads (an older or foreign file fails naming the field). */
export function parseSoakResult(text: string, file: string): SoakRecordResult {
  const source = JSON.parse(text) as Record<string, unknown>;
  for (const name of ['ratePerSecond', 'durationSec', 'committedPerSecond']) field(source, name, file, 'number');
  for (const name of ['command', 'verdict']) field(source, name, file, 'string');
  for (const name of ['workload', 'audit', 'checkpoints', 'reasons', 'warnings']) field(source, name, file, 'object');
  const audit = source['audit'] as Record<string, unknown>;
  for (const name of ['transactionsSent', 'receiptsReceived', 'committed', 'rejected', 'failed', 'missingReceipts', 'duplicateReceipts', 'unexpectedReceipts']) field(audit, name, file, 'number');
  if (source['verdict'] !== 'PASS' && source['verdict'] !== 'FAIL') throw invalidArgument('verdict', `${file}: expected PASS or FAIL, got ${JSON.stringify(source['verdict'])}`);
  return source as unknown as SoakRecordResult;
}

/** soak.json checked for the latency fields the section reads. */
export function parseSoakSummary(text: string, file: string): SoakRecordSummary {
  const source = JSON.parse(text) as Record<string, unknown>;
  const corrected = field(source, 'corrected', file, 'object') as Record<string, unknown>;
  for (const name of ['count', 'p50Us', 'p90Us', 'p99Us', 'p999Us', 'maxUs']) field(corrected, name, file, 'number');
  field(source, 'intervals', file, 'object');
  return source as unknown as SoakRecordSummary;
}

function count(value: number): string {
  return Math.trunc(value).toLocaleString('en-US');
}

function mebibytes(bytes: number): string {
  return `${truncate(bytes / 2 ** 20, 0).toLocaleString('en-US')} MiB`;
}

function duration(seconds: number): string {
  const whole = Math.trunc(seconds);
  return `${Math.trunc(whole / 60)} min ${whole % 60} s`;
}

function latencyRow(name: string, latency: LatencySummary): string {
  return `| ${name} | ${count(latency.count)} | ${formatMicroseconds(latency.p50Us)} | ${formatMicroseconds(latency.p90Us)} | ${formatMicroseconds(latency.p99Us)} | ${formatMicroseconds(latency.p999Us)} | ${formatMicroseconds(latency.maxUs)} |`;
}

function memoryLine(result: SoakRecordResult): string {
  const memory = result.memory;
  if (memory === null) return 'Memory trend: not measured (the node was not on this machine).';
  const slope = memory.slopeBytesPerHour === null ? 'no slope' : `${mebibytes(memory.slopeBytesPerHour)} per hour`;
  return (
    `Memory trend (the node's RssAnon, least-squares line over ${truncate(memory.windowStartSec, 0)}–${truncate(memory.windowEndSec, 0)} s, ${count(memory.sampleCount)} samples): ` +
    `**${memory.status}**, ${slope} against a bound of ${mebibytes(memory.slopeBoundBytesPerHour)} per hour.`
  );
}

export function formatSoakSection(record: SoakRecord): string {
  const { result, summary } = record;
  const audit = result.audit;
  const consistent = result.checkpoints.filter((checkpoint) => checkpoint.consistent).length;
  const lastHeight = result.checkpoints.at(-1)?.height ?? 'none';
  const lines = [
    `## Soak: ${duration(result.durationSec)} at a fixed rate (\`bench/soak/run.ts\`)`,
    '',
    `Command: \`${record.benchCommand}\`, which ran \`${result.command}\` · ${record.machineLine} · started ${record.startedAt}`,
    '',
    `The soak started its own node (profile \`soak\`, config/soak.yaml) in a process of its own and drove it open loop, latencies corrected for coordinated omission. ` +
      `Workload: ${result.workload.signatureMode} transfers, ${count(result.workload.batchSize)} per batch, ${count(result.workload.streams)} streams, receivers Zipf-like (exponent ${result.workload.receiverSkew}). ` +
      `The report and its files: [${record.reportFolder}/soak.html](${record.reportFolder}/soak.html) (open in a browser), \`soak.hlog\` (HdrHistogram interval log), \`soak.json\`, \`soak-result.json\`, \`soak-snapshots.jsonl\`.`,
    '',
    `**Verdict: ${result.verdict}**${result.reasons.length === 0 ? '' : ` — ${result.reasons.join('; ')}`}`,
    '',
    '| Figure | Value |',
    '| --- | ---: |',
    `| duration | ${duration(result.durationSec)} (${count(summary.intervals.length)} intervals) |`,
    `| offered rate | ${formatFigure(result.ratePerSecond)} tx/s |`,
    `| committed rate, whole run (checkpoint pauses included) | ${formatFigure(result.committedPerSecond)} tx/s |`,
    `| transactions sent / receipts | ${count(audit.transactionsSent)} / ${count(audit.receiptsReceived)} |`,
    `| committed / rejected / failed | ${count(audit.committed)} / ${count(audit.rejected)} / ${count(audit.failed)} |`,
    `| missing / duplicate / unexpected receipts | ${count(audit.missingReceipts)} / ${count(audit.duplicateReceipts)} / ${count(audit.unexpectedReceipts)} |`,
    `| balance checkpoints conserved | ${consistent} of ${result.checkpoints.length} (last at height ${lastHeight}) |`,
    ...(result.nodeRss === null ? [] : [`| node VmRSS peak / final | ${mebibytes(result.nodeRss.peakBytes)} / ${mebibytes(result.nodeRss.finalBytes)} |`]),
    '',
    'Receipt latency per batch, send → its last receipt (HDR, 3 significant digits):',
    '',
    '| Latency | batches | P50 | P90 | P99 | P99.9 | max |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    latencyRow('corrected (from the intended send time)', summary.corrected),
    ...(summary.uncorrected === null ? [] : [latencyRow('uncorrected (from the actual send)', summary.uncorrected)]),
    '',
    memoryLine(result),
  ];
  if (result.warnings.length > 0) lines.push('', 'Warnings the soak raised:', '', ...result.warnings.map((warning) => `- ${warning}`));
  return lines.join('\n');
}
