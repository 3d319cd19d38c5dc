/**
 * `aurigraph load`: drives a node or cluster with transfers over StreamTransactions, measures
 * receipt latency (HDR, coordinated omission corrected on the open loop) and audits the
 * receipts. The workload code is in src/loadgen/transactions; this file reads flags and prints.
 */
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { selectSignatureBackend } from '../crypto/index.js';
import { AurigraphError } from '../errors.js';
import { openLoadTarget } from '../loadgen/transactions/load-target.js';
import { describeNodeEventLoop } from '../loadgen/transactions/node-event-loop.js';
import { writeRunFiles } from '../loadgen/transactions/run-files.js';
import { runTransfers, type TransferRunResult } from '../loadgen/transactions/transfer-run.js';
import { GENERATOR_BUSY_UTILIZATION, type TransferSchedule } from '../loadgen/transactions/transfer-load.js';
import type { SignatureMode } from '../loadgen/transactions/workload-plan.js';
import { parseCount, parseDuration, parseNumber } from './duration.js';
import { CliUsageError, parseCommandLine } from './usage.js';

export const LOAD_COMMAND_SUMMARY = 'drive a node or cluster with signed transfers and report receipt latency';

const help = `Usage: aurigraph load [options]

Sends transfers over many StreamTransactions streams, each on its own HTTP/2 connection, and
measures, per batch, the time from sending it to receiving its last receipt. Every batch is
built and signed before the clock starts. Checks that every transaction got exactly one receipt.
Writes to --out: load.hlog (HdrHistogram interval log), load.json (summary), load.html (report),
load-result.json (workload, preparation, receipt audit, committed tx/s).

Target:
  --address A[,B,C]      running node(s); with several, the leader is found (default 127.0.0.1:9004)
  --start-node           start the node(s) for this run on a temporary data folder
  --nodes N              with --start-node: 1 (default) or a cluster of N on loopback
  --profile NAME         profile of started nodes (default: bench)
  --set PATH=VALUE       extra setting for started nodes (repeatable)
Accounts (keys derive from the published development seeds: INSECURE, for tests only):
  --genesis FILE         the genesis the node runs; its accounts with derived keys are used
  --accounts N           write a genesis of N derived accounts to --out/genesis.yaml (and start
                         the node on it with --start-node); default: the 8 development accounts
Workload:
  --signatures MODE      batch (one ML-DSA-65 signature per batch; default) or per-tx
  --batch-size N         transfers per batch (default 256)
  --streams N            streams, each on its own connection (default 8); senders are split
                         between them so each sender's nonces stay in one stream, in order
  --skew S               Zipf exponent of the receiver choice: 0 uniform, 1 hot accounts (default 1)
  --fee N                fee per transfer (default 1)
  --seed N               workload seed (default 1)
Schedule:
  --rate TX_PER_S        open loop at this many transactions per second (latency from each
                         batch's intended start); without it, a closed loop
  --in-flight K          closed loop: batches in flight per stream (default 2)
  --transactions N       closed loop: transfers to prepare (default 200000 batch, 20000 per-tx);
                         the run ends at --duration or when they are all sent
  --duration D           measured time (default 10s); e.g. 500ms, 30s, 5m
  --warmup D             unmeasured run first (default 0)
  --interval D           histogram interval (default 1s)
  --timeout D            a batch without all its receipts after this is an error (default 30s)
  --prepare-threads N    threads that build and sign batches (default: all cores)
Output:
  --out DIR              where the files go (default ./load-<time>)
  --keep-data            keep started nodes' data folders
  --help                 show this help

Exit code 0 when every transaction got exactly one receipt and no batch failed, 1 otherwise,
2 for usage errors.
`;

const options = {
  address: { type: 'string' },
  'start-node': { type: 'boolean' },
  nodes: { type: 'string' },
  profile: { type: 'string' },
  set: { type: 'string', multiple: true },
  genesis: { type: 'string' },
  accounts: { type: 'string' },
  signatures: { type: 'string' },
  'batch-size': { type: 'string' },
  streams: { type: 'string' },
  skew: { type: 'string' },
  fee: { type: 'string' },
  seed: { type: 'string' },
  rate: { type: 'string' },
  'in-flight': { type: 'string' },
  transactions: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  interval: { type: 'string' },
  timeout: { type: 'string' },
  'prepare-threads': { type: 'string' },
  out: { type: 'string' },
  'keep-data': { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

export function parseSignatureMode(text: string | undefined): SignatureMode {
  if (text === undefined || text === 'batch' || text === 'batch-signed') return 'batch-signed';
  if (text === 'per-tx' || text === 'per-transaction') return 'per-transaction';
  throw new CliUsageError(`--signatures must be batch or per-tx, got '${text}'`);
}

export function parseSettings(assignments: readonly string[] | undefined): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const assignment of assignments ?? []) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw new CliUsageError(`--set expects PATH=VALUE, got '${assignment}'`);
    settings[assignment.slice(0, equals)] = assignment.slice(equals + 1);
  }
  return settings;
}

function defaultOutDir(command: string): string {
  return path.resolve(`${command}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
}

const milliseconds = (valueUs: number) => `${(valueUs / 1000).toFixed(2)} ms`;

/** The lines the load command prints about a finished run. */
export function describeTransferRun(result: TransferRunResult): string[] {
  const { audit, measured } = result;
  const run = measured.run;
  const lines = [
    `prepared ${result.preparation.transactionCount.toLocaleString('en-US')} transfers in ${(result.preparation.elapsedMs / 1000).toFixed(1)} s on ${result.preparation.threads} threads`,
    `committed ${result.committedInMeasured.toLocaleString('en-US')} transfers in ${run.durationSec.toFixed(1)} s: ${Math.floor(result.committedPerSecond).toLocaleString('en-US')} tx/s`,
    `receipt latency per batch (${run.schedule.kind === 'open-loop' ? 'from intended start' : 'from send'}): P50 ${milliseconds(run.corrected.getValueAtPercentile(50))}, P99 ${milliseconds(run.corrected.getValueAtPercentile(99))}, P99.9 ${milliseconds(run.corrected.getValueAtPercentile(99.9))}, max ${milliseconds(run.corrected.maxValue)}`,
    `receipts: ${audit.committed} COMMITTED, ${audit.rejected} REJECTED, ${audit.failed} FAILED; missing ${audit.missingReceipts}, duplicate ${audit.duplicateReceipts}, unexpected ${audit.unexpectedReceipts}`,
  ];
  for (const sample of audit.samples) lines.push(`  ${sample}`);
  if (run.errorCount > 0) lines.push(`batch errors: ${run.errorCount} (${run.errorMessages.join('; ')})`);
  if (measured.sourceExhausted) lines.push('note: the prepared transfers ran out before the duration ended; prepare more with --transactions');
  if (run.generator?.cannotKeepUp) lines.push(`WARNING: the generator did not keep its schedule (${run.generator.reason}; send lag P99 ${milliseconds(run.generator.sendLagP99Us)})`);
  if (measured.generatorEventLoopUtilization > GENERATOR_BUSY_UTILIZATION) {
    lines.push(`WARNING: the generator's thread was busy ${(measured.generatorEventLoopUtilization * 100).toFixed(0)}% of the run: it may be the bottleneck`);
  }
  return lines;
}

/** Whether the receipt invariants held and nothing failed. */
export function transferRunHealthy(result: TransferRunResult): boolean {
  const { audit } = result;
  return audit.missingReceipts === 0 && audit.duplicateReceipts === 0 && audit.unexpectedReceipts === 0 && result.measured.run.errorCount === 0 && (result.warmup?.run.errorCount ?? 0) === 0;
}

export async function runLoad(args: string[]): Promise<number> {
  const { values } = parseCommandLine(args, options);
  if (values.help) {
    process.stdout.write(help);
    return 0;
  }
  const signatureMode = parseSignatureMode(values.signatures);
  const startNodes = values['start-node'] ? parseCount('--nodes', values.nodes ?? '1') : undefined;
  if (values.nodes !== undefined && startNodes === undefined) throw new CliUsageError('--nodes needs --start-node');
  if (values.genesis !== undefined && values.accounts !== undefined) throw new CliUsageError('give --genesis FILE or --accounts N, not both');
  const outDir = path.resolve(values.out ?? defaultOutDir('load'));
  const schedule: TransferSchedule =
    values.rate !== undefined
      ? { kind: 'open-loop', transactionsPerSecond: parseNumber('--rate', values.rate, 1) }
      : { kind: 'closed-loop', batchesInFlightPerStream: parseCount('--in-flight', values['in-flight'] ?? '2') };
  if (values.rate !== undefined && values['in-flight'] !== undefined) throw new CliUsageError('--in-flight is for the closed loop; the open loop (--rate) sends on schedule');
  const workload = {
    signatureMode,
    streams: parseCount('--streams', values.streams ?? '8'),
    batchSize: parseCount('--batch-size', values['batch-size'] ?? '256'),
    receiverSkew: parseNumber('--skew', values.skew ?? '1', 0),
    fee: BigInt(parseCount('--fee', values.fee ?? '1', 0)),
    seed: parseCount('--seed', values.seed ?? '1', 0),
  };
  const durationMs = parseDuration('--duration', values.duration ?? '10s');
  const warmupMs = values.warmup === undefined ? 0 : parseDuration('--warmup', values.warmup);
  const preparedTransactions = parseCount('--transactions', values.transactions ?? (signatureMode === 'batch-signed' ? '200000' : '20000'));
  const backend = selectSignatureBackend('auto');
  const say = (line: string) => process.stderr.write(`aurigraph load: ${line}\n`);

  let target;
  try {
    target = await openLoadTarget(
      {
        signatureMode,
        ...(values.address === undefined ? {} : { addresses: values.address.split(',').map((address) => address.trim()) }),
        ...(startNodes === undefined ? {} : { startNodes }),
        ...(values.profile === undefined ? {} : { profile: values.profile }),
        settings: parseSettings(values.set),
        ...(values.genesis === undefined ? {} : { genesisFile: path.resolve(values.genesis) }),
        ...(values.accounts === undefined ? {} : { accounts: parseCount('--accounts', values.accounts, 2), genesisOutput: await ensureDir(outDir, 'genesis.yaml') }),
        keepData: values['keep-data'] ?? false,
        // A runtime line per memory sample (runTransfers samples every second), so the report's
        // event-loop chart has as many points as its RSS chart.
        runtimeReportIntervalMs: 1000,
      },
      backend,
    );
  } catch (error) {
    if (error instanceof AurigraphError) {
      process.stderr.write(`aurigraph load: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  try {
    say(`driving ${target.leader} (${target.addresses.length === 1 ? 'one node' : `leader of ${target.addresses.length}`}) with ${target.accounts.count} accounts from ${target.genesisSource}`);
    if (target.leaderPid === undefined) say('the node is not on this machine (or its pid was not found): no memory samples');
    if (target.leaderNode === undefined) say('the node was not started by this run: its event-loop delay is not observable');
    const result = await runTransfers({
      leader: target.leader,
      accounts: target.accounts,
      ...(target.leaderPid === undefined ? {} : { leaderPid: target.leaderPid }),
      ...(target.leaderNode === undefined ? {} : { leaderRuntimeReports: target.leaderNode }),
      workload,
      schedule,
      durationMs,
      warmupMs,
      preparedTransactions: schedule.kind === 'closed-loop' ? preparedTransactions : 0,
      prepareThreads: values['prepare-threads'] === undefined ? os.availableParallelism() : parseCount('--prepare-threads', values['prepare-threads']),
      intervalMs: values.interval === undefined ? 1000 : parseDuration('--interval', values.interval),
      operationTimeoutMs: values.timeout === undefined ? 30_000 : parseDuration('--timeout', values.timeout),
      onProgress: say,
    });
    const healthy = transferRunHealthy(result);
    const files = await writeRunFiles(outDir, 'load', result.measured.run, `${signatureMode} transfers`, { memory: result.nodeMemory, eventLoop: result.nodeEventLoop }, {
      command: `aurigraph ${['load', ...args].join(' ')}`,
      target: { leader: target.leader, addresses: target.addresses, startedNodes: target.nodes.length, genesis: target.genesisSource, accounts: target.accounts.count },
      verdict: healthy ? 'PASS' : 'FAIL',
      workload: result.plan,
      schedule,
      preparation: result.preparation,
      committedPerSecond: result.committedPerSecond,
      committedInMeasured: result.committedInMeasured,
      audit: result.audit,
      streamFailures: result.streamFailures,
      generator: {
        health: result.measured.run.generator,
        eventLoopUtilization: result.measured.generatorEventLoopUtilization,
        processCores: result.measured.generatorProcessCores,
        sourceExhausted: result.measured.sourceExhausted,
      },
      nodeMemory: result.nodeMemory,
      nodeEventLoop: describeNodeEventLoop(result.nodeEventLoop),
    });
    for (const line of describeTransferRun(result)) process.stdout.write(`${line}\n`);
    process.stdout.write(`wrote ${files.intervalLogPath}, ${files.summaryPath}, ${files.reportPath}, ${files.resultPath}\n`);
    process.stdout.write(`${healthy ? 'PASS' : 'FAIL'}\n`);
    return healthy ? 0 : 1;
  } catch (error) {
    if (error instanceof AurigraphError) {
      process.stderr.write(`aurigraph load: ${error.message}\n`);
      for (const node of target.nodes) process.stderr.write(`node ${node.address} log tail:\n${node.logTail().slice(-10).join('\n')}\n`);
      return 1;
    }
    throw error;
  } finally {
    await target.close();
  }
}

async function ensureDir(dir: string, file: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return path.join(dir, file);
}
