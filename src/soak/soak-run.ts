/**
 * A soak: open-loop transfers at a fixed rate for a long time (24 hours in earnest, a minute in
 * CI), against nodes a LoadTarget started or found, checking invariants as it goes.
 *
 * The run is cut into segments at balance checkpoints. At a checkpoint the schedule pauses, the
 * receipts still due arrive, and the balances of every genesis account and the fee account are
 * read and summed: with nothing in flight the ledger is still, so the sum is one consistent
 * state and must equal the genesis total. A checkpoint is also taken before the first segment.
 * The pause is not latency: no request was scheduled in it.
 *
 * Every interval a snapshot line (counts, rate, latency percentiles and the interval's HDR
 * histogram, node memory) is appended and fsynced to soak-snapshots.jsonl, so a crash of the
 * runner loses at most one interval. At the end: soak.hlog / soak.json / soak.html (the
 * report) and soak-result.json with the verdict (soak-verdict.ts).
 */
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { createClient } from '../client/index.js';
import { decodeHistogram } from '../loadgen/latency-histogram.js';
import type { EncodedInterval, LoadRunResult } from '../loadgen/run-result.js';
import { sumBalances } from '../loadgen/transactions/account-reads.js';
import type { LoadTarget } from '../loadgen/transactions/load-target.js';
import { startMemorySampler, type MemorySample } from '../loadgen/transactions/memory-sampler.js';
import { delaysOf, describeNodeEventLoop, startNodeEventLoopRecorder } from '../loadgen/transactions/node-event-loop.js';
import { RollingWorkload } from '../loadgen/transactions/prepared-workload.js';
import { ReceiptTally } from '../loadgen/transactions/receipt-tally.js';
import { writeRunFiles, type RunFiles } from '../loadgen/transactions/run-files.js';
import { StreamPool } from '../loadgen/transactions/stream-pool.js';
import { GENERATOR_BUSY_UTILIZATION, runTransferSegment } from '../loadgen/transactions/transfer-load.js';
import { buildPlan, currentNonces, type WorkloadShape } from '../loadgen/transactions/transfer-run.js';
import { batchCoordinatesOf } from '../loadgen/transactions/workload-plan.js';
import { judgeMemoryTrend, DEFAULT_MEMORY_ALLOWANCE_BYTES, type MemoryTrend } from './memory-trend.js';
import { ProgressLine } from './progress-line.js';
import { concatenateSegments } from './run-concatenation.js';
import { SnapshotLog } from './snapshot-log.js';
import { judgeSoak, type BalanceCheckpoint, type SoakVerdict } from './soak-verdict.js';

export interface SoakOptions {
  readonly target: LoadTarget;
  readonly workload: WorkloadShape;
  readonly durationMs: number;
  /** Transactions per second, open loop. */
  readonly ratePerSecond: number;
  /** Histogram interval and snapshot period. */
  readonly intervalMs: number;
  readonly checkpointEveryMs: number;
  readonly outDir: string;
  readonly operationTimeoutMs?: number;
  readonly memoryAllowanceBytes?: number;
  readonly prepareThreads?: number;
  /** Progress goes here (a TTY gets a live line). */
  readonly output: NodeJS.WriteStream;
  /** Ends the soak early (SIGINT); the verdict and files are still written. */
  readonly signal?: AbortSignal;
  /** The command line, for the record. */
  readonly command?: string;
}

export interface SoakResult {
  readonly verdict: SoakVerdict;
  readonly files: RunFiles;
  readonly snapshotPath: string;
  readonly checkpoints: readonly BalanceCheckpoint[];
  readonly memory: MemoryTrend | null;
  readonly run: LoadRunResult;
}

/**
 * How often the node's memory is sampled, and how often a node the soak starts is asked to log
 * its `runtime` line: every second in runs under ten minutes (enough points for the trend fit),
 * else every interval, at most 5 s.
 */
export function soakSampleEveryMs(durationMs: number, intervalMs: number): number {
  return durationMs < 600_000 ? 1000 : Math.min(intervalMs, 5_000);
}

/** Default checkpoint period: a quarter of the run, between 10 seconds and an hour. */
export function defaultCheckpointEveryMs(durationMs: number): number {
  return Math.min(3_600_000, Math.max(10_000, Math.floor(durationMs / 4)));
}

function percentile(histogramBase64: string, at: number): number | null {
  const histogram = decodeHistogram(histogramBase64, 'interval');
  const value = histogram.totalCount > 0 ? histogram.getValueAtPercentile(at) : null;
  histogram.destroy();
  return value;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { target } = options;
  await mkdir(options.outDir, { recursive: true });
  const snapshotPath = path.join(options.outDir, 'soak-snapshots.jsonl');
  const snapshots = await SnapshotLog.open(snapshotPath);
  const progress = new ProgressLine(options.output, Math.max(options.intervalMs, 10_000));
  const stop = new AbortController();
  options.signal?.addEventListener('abort', () => stop.abort(options.signal?.reason), { once: true });
  const nodeExits: string[] = [];
  let finished = false;
  for (const node of target.nodes) {
    void node.exited.then((code) => {
      // After the soak, or after the operator's interrupt (which reaches the node too), an exit is expected.
      if (finished || options.signal?.aborted) return;
      nodeExits.push(`node ${node.address} (pid ${node.pid}) exited with code ${code} during the soak; last log lines: ${node.logTail().slice(-3).join(' | ')}`);
      stop.abort(new Error('a node exited'));
    });
  }

  const plan = buildPlan(target.accounts, options.workload, await currentNonces(target.leader, target.accounts));
  // Chunks of about a minute of load, so preparation runs well ahead of the schedule.
  const chunkBatches = Math.max(1, Math.ceil((options.ratePerSecond * 60) / plan.batchSize / plan.streamCount));
  const source = new RollingWorkload(plan, { chunkBatches, ...(options.prepareThreads === undefined ? {} : { threads: options.prepareThreads }) });
  const firstPreparation = await source.start();
  progress.note(`prepared the first ${firstPreparation.transactionCount.toLocaleString('en-US')} transfers in ${(firstPreparation.elapsedMs / 1000).toFixed(1)} s; later chunks are prepared while the soak runs`);

  const reader = createClient(target.leader, { deadlineMs: 30_000 });
  const balanceIds = target.accounts.balanceAccounts;
  const expected = target.accounts.genesisTotal;
  const checkpoints: BalanceCheckpoint[] = [];
  const checkpoint = async (elapsedSec: number): Promise<void> => {
    let sum = await sumBalances(reader, balanceIds);
    // Quiet means one height; if another client moved the ledger meanwhile, read again.
    for (let attempt = 0; attempt < 3 && sum.heightMin !== sum.heightMax; attempt++) sum = await sumBalances(reader, balanceIds);
    const record: BalanceCheckpoint = {
      index: checkpoints.length,
      elapsedSec,
      height: sum.heightMin === sum.heightMax ? sum.heightMax.toString() : `${sum.heightMin}..${sum.heightMax}`,
      total: sum.total.toString(),
      expected: expected.toString(),
      consistent: sum.total === expected,
    };
    checkpoints.push(record);
    await snapshots.append({ type: 'checkpoint', atEpochMs: Date.now(), ...record, accounts: balanceIds.length });
    progress.note(`checkpoint ${record.index} at ${elapsedSec.toFixed(0)} s: ${balanceIds.length} balances sum to ${record.total} at height ${record.height}: ${record.consistent ? 'conserved' : `NOT the genesis total ${record.expected}`}`);
  };

  const tally = new ReceiptTally(plan.streamCount, (batchId) => batchCoordinatesOf(plan, batchId));
  const pool = new StreamPool({ address: target.leader, streamCount: plan.streamCount, tally });
  const startEpochMs = Date.now();
  await snapshots.append({
    type: 'start',
    atEpochMs: startEpochMs,
    command: options.command ?? null,
    leader: target.leader,
    addresses: target.addresses,
    genesis: target.genesisSource,
    accounts: target.accounts.count,
    ratePerSecond: options.ratePerSecond,
    durationMs: options.durationMs,
    intervalMs: options.intervalMs,
    checkpointEveryMs: options.checkpointEveryMs,
    workload: { signatureMode: plan.signatureMode, streams: plan.streamCount, batchSize: plan.batchSize, receiverSkew: plan.receiverSkew, fee: plan.fee },
  });
  await checkpoint(0);

  const startNs = process.hrtime.bigint();
  const elapsedMs = () => Number(process.hrtime.bigint() - startNs) / 1e6;
  const memoryEveryMs = soakSampleEveryMs(options.durationMs, options.intervalMs);
  const sampler = target.leaderPid === undefined ? undefined : startMemorySampler(target.leaderPid, { startNs, intervalMs: memoryEveryMs });
  const eventLoop = target.leaderNode === undefined ? undefined : startNodeEventLoopRecorder(target.leaderNode, { startNs });
  const latestMemory = (): MemorySample | undefined => sampler?.samples[sampler.samples.length - 1];
  const intervals: EncodedInterval[] = [];
  const segments: LoadRunResult[] = [];
  const generatorWarnings: string[] = [];
  const checkpointFailures: string[] = [];
  let lastCommitted = 0;
  let lastP99: number | null = null;
  let errors = 0;
  let liveCommitted = 0;
  let liveAtMs = 0;
  const live = setInterval(() => {
    const elapsed = elapsedMs();
    const committed = tally.audit().committed;
    const ratePerSec = elapsed > liveAtMs ? ((committed - liveCommitted) * 1000) / (elapsed - liveAtMs) : 0;
    liveCommitted = committed;
    liveAtMs = elapsed;
    progress.update({
      elapsedMs: elapsed,
      remainingMs: Math.max(0, options.durationMs - elapsed),
      ratePerSec,
      p99Us: lastP99,
      errors,
      missing: tally.batchesWaiting,
      rssBytes: latestMemory()?.rssBytes ?? null,
    });
  }, progress.isTty ? 1000 : Math.min(options.intervalMs, 10_000));
  live.unref();

  let next = new Array<number>(plan.streamCount).fill(0);
  try {
    while (!stop.signal.aborted) {
      const segmentStartMs = elapsedMs();
      const remainingMs = options.durationMs - segmentStartMs;
      if (remainingMs < 1) break;
      const offsetSec = segmentStartMs / 1000;
      const segment = await runTransferSegment({
        pool,
        source,
        batchSize: plan.batchSize,
        schedule: { kind: 'open-loop', transactionsPerSecond: options.ratePerSecond },
        durationMs: Math.max(1, Math.round(Math.min(options.checkpointEveryMs, remainingMs))),
        intervalMs: options.intervalMs,
        operationTimeoutMs: options.operationTimeoutMs ?? 60_000,
        firstBatchNumbers: next,
        signal: stop.signal,
        onInterval: (interval) => {
          const placed: EncodedInterval = { ...interval, index: intervals.length, startSec: offsetSec + interval.startSec };
          intervals.push(placed);
          const audit = tally.audit();
          const committed = audit.committed - lastCommitted;
          lastCommitted = audit.committed;
          const committedPerSec = placed.lengthSec > 0 ? committed / placed.lengthSec : 0;
          lastP99 = percentile(placed.correctedBase64, 99);
          errors += placed.errorCount;
          const memory = latestMemory();
          const loop = eventLoop?.latest();
          void snapshots.append({
            type: 'interval',
            index: placed.index,
            atEpochMs: Date.now(),
            startSec: placed.startSec,
            lengthSec: placed.lengthSec,
            committedInInterval: committed,
            committedPerSec,
            batchesCompleted: placed.completedCount,
            batchErrors: placed.errorCount,
            latencyUs: { p50: percentile(placed.correctedBase64, 50), p99: lastP99, p999: percentile(placed.correctedBase64, 99.9), max: placed.correctedMaxUs },
            totals: { transactionsSent: audit.transactionsSent, committed: audit.committed, rejected: audit.rejected, failed: audit.failed, duplicateReceipts: audit.duplicateReceipts, unexpectedReceipts: audit.unexpectedReceipts, batchesWaiting: tally.batchesWaiting },
            node: memory === undefined ? null : { rssBytes: memory.rssBytes, rssAnonBytes: memory.rssAnonBytes, eventLoopDelayP99MsByThread: loop === undefined ? null : delaysOf(loop).byThread },
            correctedHistogram: placed.correctedBase64,
          });
        },
      });
      segments.push(segment.run);
      next = segment.nextBatchNumbers;
      const generator = segment.run.generator;
      if (generator?.cannotKeepUp) generatorWarnings.push(`segment ${segments.length}: the generator did not keep its schedule (${generator.reason}, send lag P99 ${(generator.sendLagP99Us / 1000).toFixed(1)} ms)`);
      if (segment.generatorEventLoopUtilization > GENERATOR_BUSY_UTILIZATION) generatorWarnings.push(`segment ${segments.length}: the generator's thread was ${(segment.generatorEventLoopUtilization * 100).toFixed(0)}% busy`);
      // Receipts still due (batches the schedule gave up on) get until the timeout to arrive.
      const graceUntil = Date.now() + (options.operationTimeoutMs ?? 60_000);
      while (tally.batchesWaiting > 0 && pool.failures.length === 0 && Date.now() < graceUntil) await new Promise((resolve) => setTimeout(resolve, 50));
      if (nodeExits.length > 0) break;
      const checkpointAtSec = elapsedMs() / 1000;
      try {
        await checkpoint(checkpointAtSec);
      } catch (error) {
        // A node that stops answering reads ends the soak with a verdict, not a crash of the runner.
        checkpointFailures.push(`the balance checkpoint at ${checkpointAtSec.toFixed(0)} s could not read the balances: ${error instanceof Error ? error.message : String(error)}`);
        break;
      }
    }
  } finally {
    finished = true;
    clearInterval(live);
    progress.finish();
    await pool.close();
    reader.close();
  }
  const durationSec = elapsedMs() / 1000;
  const memorySamples = sampler?.stop() ?? [];
  const eventLoopSamples = (await eventLoop?.stop()) ?? null;
  if (source.waitedTakes > 0) generatorWarnings.push(`batch preparation fell behind the schedule ${source.waitedTakes} times (use fewer per-transaction signatures per second or more --prepare-threads)`);
  const run = concatenateSegments(segments, intervals, startEpochMs, durationSec, options.ratePerSecond / plan.batchSize);
  const memory = sampler === undefined ? null : judgeMemoryTrend(memorySamples.map((sample) => ({ t: sample.t, bytes: sample.rssAnonBytes })), durationSec, options.memoryAllowanceBytes ?? DEFAULT_MEMORY_ALLOWANCE_BYTES);
  const audit = tally.audit();
  const verdict = judgeSoak({
    audit,
    batchErrors: run.errorCount,
    batchErrorMessages: run.errorMessages,
    streamFailures: pool.failures,
    checkpointFailures,
    checkpoints,
    memory,
    nodeExits,
    generatorWarnings: [...generatorWarnings, ...(snapshots.failure === undefined ? [] : [`the snapshot log could not be written: ${snapshots.failure.message}`])],
  });
  const rssValues = memorySamples.map((sample) => sample.rssBytes);
  const files = await writeRunFiles(options.outDir, 'soak', run, `soak at ${options.ratePerSecond} tx/s`, { memory: memorySamples, eventLoop: eventLoopSamples }, {
    command: options.command ?? null,
    verdict: verdict.verdict,
    reasons: verdict.reasons,
    warnings: verdict.warnings,
    stoppedEarly: stop.signal.aborted,
    target: { leader: target.leader, addresses: target.addresses, startedNodes: target.nodes.length, genesis: target.genesisSource, accounts: target.accounts.count },
    ratePerSecond: options.ratePerSecond,
    durationSec,
    committedPerSecond: durationSec > 0 ? audit.committed / durationSec : 0,
    workload: { signatureMode: plan.signatureMode, streams: plan.streamCount, batchSize: plan.batchSize, receiverSkew: plan.receiverSkew, fee: plan.fee },
    audit,
    checkpoints,
    memory,
    nodeRss: rssValues.length === 0 ? null : { peakBytes: Math.max(...rssValues), finalBytes: rssValues[rssValues.length - 1] },
    preparation: source.reports,
    nodeEventLoop: describeNodeEventLoop(eventLoopSamples),
  });
  await snapshots.append({ type: 'verdict', atEpochMs: Date.now(), ...verdict });
  await snapshots.close();
  return { verdict, files, snapshotPath, checkpoints, memory, run };
}
