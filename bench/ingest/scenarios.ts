/**
 * The ingest measurements: each on fresh node processes (one, or three on loopback) started
 * from the `bench` profile and one genesis, driven from this process over gRPC streams. A
 * workload shape's batches are prepared once, with the ledger's starting nonces (0), and every
 * run on a fresh ledger sends them again from the start (ReusableWorkload). A peak run first
 * probes the rate during its warm-up, then prepares enough for the measured part before its
 * clock starts.
 */
import path from 'node:path';
import { readFile, rm } from 'node:fs/promises';
import type { LoadAccounts } from '../../src/loadgen/transactions/load-accounts.js';
import { findLeader, startLocalCluster, startLocalNode, type LocalNode } from '../../src/loadgen/transactions/local-node.js';
import { peakThreadHeaps, type MemorySample, type ThreadHeapReport } from '../../src/loadgen/transactions/memory-sampler.js';
import { ReusableWorkload, type PreparationReport } from '../../src/loadgen/transactions/prepared-workload.js';
import type { ReceiptAudit } from '../../src/loadgen/transactions/receipt-tally.js';
import type { TransferSchedule } from '../../src/loadgen/transactions/transfer-load.js';
import { buildPlan, driveTransfers, type DriveResult } from '../../src/loadgen/transactions/transfer-run.js';
import type { SignatureMode, WorkloadPlan } from '../../src/loadgen/transactions/workload-plan.js';
import { latencyStats, type LatencyStats } from '../../src/report/index.js';
import type { GeneratorHealth } from '../../src/loadgen/index.js';

export interface WorkloadShapeSpec {
  readonly id: string;
  readonly signatureMode: SignatureMode;
  readonly batchSize: number;
  readonly streams: number;
  /** Closed loop: batches in flight per stream. */
  readonly inFlightPerStream: number;
  /** A first guess of the peak, to size the warm-up's batches (the warm-up measures the real one). */
  readonly rateGuessPerSecond: number;
  /** Extra room when sizing a run from a rate: cheap batches get more, signed-per-transaction ones less. */
  readonly rateHeadroom: number;
}

export interface IngestMeasurement {
  readonly nodes: number;
  readonly shape: WorkloadShapeSpec;
  readonly kind: 'peak' | 'half-peak';
  readonly schedule: TransferSchedule;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly durationSec: number;
  readonly committedPerSecond: number;
  readonly committed: number;
  /** Corrected latency (from intended start on the open loop; from send on the closed loop). */
  readonly latency: LatencyStats;
  readonly audit: ReceiptAudit;
  readonly batchErrors: number;
  readonly errorMessages: readonly string[];
  readonly generator: GeneratorHealth | null;
  readonly generatorEventLoopUtilization: number;
  readonly generatorProcessCores: number;
  readonly sourceExhausted: boolean;
  readonly nodeMemory: readonly MemorySample[];
  /** Peak runs: each thread's largest V8 heap, from the leader's `runtime` log lines. */
  readonly nodeThreadHeaps?: readonly ThreadHeapReport[];
  /** The rate the warm-up measured (peak runs): what the measured part was sized for. */
  readonly probedPerSecond: number | null;
}

/** What one run changes about its fresh nodes (scripts/tune sweeps settings this way). */
export interface NodeRunOptions {
  /** Extra `--set PATH=VALUE` overrides for every node of the run. */
  readonly settings?: Readonly<Record<string, string>>;
  /** How often the leader's memory is read during the measured part; 1,000 ms by default. */
  readonly memorySampleIntervalMs?: number;
}

export interface IngestBenchOptions {
  readonly accounts: LoadAccounts;
  readonly genesisFile: string;
  readonly workDir: string;
  readonly profile: string;
  readonly prepareThreads: number;
  readonly onProgress: (message: string) => void;
}

export class IngestBench {
  readonly #options: IngestBenchOptions;
  readonly #pools = new Map<string, { plan: WorkloadPlan; pool: ReusableWorkload }>();
  #runs = 0;

  constructor(options: IngestBenchOptions) {
    this.#options = options;
  }

  /** Every preparation so far, per shape. */
  preparations(): Record<string, PreparationReport[]> {
    return Object.fromEntries([...this.#pools].map(([id, { pool }]) => [id, pool.reports]));
  }

  #poolOf(shape: WorkloadShapeSpec): { plan: WorkloadPlan; pool: ReusableWorkload } {
    let entry = this.#pools.get(shape.id);
    if (entry === undefined) {
      const accounts = this.#options.accounts;
      const plan = buildPlan(accounts, { signatureMode: shape.signatureMode, streams: shape.streams, batchSize: shape.batchSize }, new BigUint64Array(accounts.count));
      entry = { plan, pool: new ReusableWorkload(plan) };
      this.#pools.set(shape.id, entry);
    }
    return entry;
  }

  async #ensureBatches(shape: WorkloadShapeSpec, batchesPerStream: number): Promise<void> {
    const { pool } = this.#poolOf(shape);
    if (pool.endBatchNumber >= batchesPerStream) return;
    const transactions = (batchesPerStream - pool.endBatchNumber) * shape.streams * shape.batchSize;
    this.#options.onProgress(`preparing ${transactions.toLocaleString('en-US')} more ${shape.id} transfers`);
    const report = await pool.extendTo(batchesPerStream, this.#options.prepareThreads);
    if (report !== null) this.#options.onProgress(`  prepared in ${(report.elapsedMs / 1000).toFixed(1)} s`);
  }

  #batchesFor(shape: WorkloadShapeSpec, ratePerSecond: number, ms: number): number {
    return Math.ceil((ratePerSecond * shape.rateHeadroom * ms) / 1000 / shape.batchSize / shape.streams) + 1;
  }

  /** Starts `count` fresh nodes, runs `body` against the leader, stops them and removes their data. */
  async #withNodes<T>(count: number, run: NodeRunOptions, body: (leader: string, leaderPid: number, leaderLogFile: string) => Promise<T>): Promise<T> {
    this.#runs += 1;
    const baseDir = path.join(this.#options.workDir, `run-${this.#runs}`);
    const common = { profile: this.#options.profile, genesisFile: this.#options.genesisFile, ...(run.settings === undefined ? {} : { settings: run.settings }) };
    let nodes: LocalNode[] = [];
    try {
      nodes = count === 1 ? [await startLocalNode({ ...common, dataDir: path.join(baseDir, 'node-1') })] : await startLocalCluster({ ...common, size: count, baseDir });
      const leader = await findLeader(nodes.map((node) => node.address));
      const leaderNode = nodes.find((node) => node.address === leader)!;
      return await body(leader, leaderNode.pid, path.join(leaderNode.dataDir, 'node.log'));
    } catch (error) {
      for (const node of nodes) this.#options.onProgress(`node ${node.address} log tail:\n${node.logTail().slice(-8).join('\n')}`);
      throw error;
    } finally {
      await Promise.all(nodes.map((node) => node.stop()));
      await rm(baseDir, { recursive: true, force: true });
    }
  }

  /**
   * Closed loop as fast as the node answers. The warm-up is also the rate probe: its first half
   * ramps up (JIT, first blocks), its second half is timed, and the measured part is prepared
   * from that rate before its clock starts.
   */
  async peak(shape: WorkloadShapeSpec, nodes: number, warmupMs: number, durationMs: number, run: NodeRunOptions = {}): Promise<IngestMeasurement> {
    const { plan, pool } = this.#poolOf(shape);
    await this.#ensureBatches(shape, this.#batchesFor(shape, shape.rateGuessPerSecond, warmupMs));
    const schedule: TransferSchedule = { kind: 'closed-loop', batchesInFlightPerStream: shape.inFlightPerStream };
    const rampMs = Math.floor(warmupMs / 2);
    return this.#withNodes(nodes, run, async (leader, leaderPid, leaderLogFile) => {
      this.#options.onProgress(`${nodes} node${nodes === 1 ? '' : 's'}, ${shape.id}: warm-up ${warmupMs} ms (its second half probes the rate)`);
      const probe = await driveTransfers(plan, pool, { leader, accounts: this.#options.accounts, schedule, warmupMs: rampMs, durationMs: warmupMs - rampMs });
      const next = probe.measured.nextBatchNumbers;
      await this.#ensureBatches(shape, Math.max(...next) + this.#batchesFor(shape, probe.committedPerSecond, durationMs));
      this.#options.onProgress(`  probed ${Math.floor(probe.committedPerSecond).toLocaleString('en-US')} tx/s; measuring ${durationMs} ms`);
      const measured = await driveTransfers(plan, pool, { leader, leaderPid, accounts: this.#options.accounts, schedule, durationMs, firstBatchNumbers: next, ...memorySampling(run) });
      const nodeThreadHeaps = peakThreadHeaps(await readFile(leaderLogFile, 'utf8'));
      return { ...measurementOf(nodes, shape, 'peak', schedule, warmupMs, durationMs, measured, probe.committedPerSecond, probe.audit), nodeThreadHeaps };
    });
  }

  /** Open loop at `ratePerSecond` transactions per second (latency from each batch's intended start). */
  async atRate(shape: WorkloadShapeSpec, nodes: number, ratePerSecond: number, warmupMs: number, durationMs: number, run: NodeRunOptions = {}): Promise<IngestMeasurement> {
    const { plan, pool } = this.#poolOf(shape);
    await this.#ensureBatches(shape, this.#batchesFor(shape, ratePerSecond, warmupMs + durationMs));
    const schedule: TransferSchedule = { kind: 'open-loop', transactionsPerSecond: ratePerSecond };
    return this.#withNodes(nodes, run, async (leader, leaderPid) => {
      this.#options.onProgress(`${nodes} node${nodes === 1 ? '' : 's'}, ${shape.id}: open loop at ${Math.floor(ratePerSecond).toLocaleString('en-US')} tx/s`);
      const measured = await driveTransfers(plan, pool, { leader, leaderPid, accounts: this.#options.accounts, schedule, durationMs, warmupMs, ...memorySampling(run) });
      return measurementOf(nodes, shape, 'half-peak', schedule, warmupMs, durationMs, measured, null, null);
    });
  }
}

function memorySampling(run: NodeRunOptions): { memorySampleIntervalMs?: number } {
  return run.memorySampleIntervalMs === undefined ? {} : { memorySampleIntervalMs: run.memorySampleIntervalMs };
}

function measurementOf(
  nodes: number,
  shape: WorkloadShapeSpec,
  kind: IngestMeasurement['kind'],
  schedule: TransferSchedule,
  warmupMs: number,
  durationMs: number,
  result: DriveResult,
  probedPerSecond: number | null,
  probeAudit: ReceiptAudit | null,
): IngestMeasurement {
  const run = result.measured.run;
  // A peak run is two calls on one ledger: the probe's receipts count in the audit too.
  const audit = probeAudit === null ? result.audit : sumAudits(probeAudit, result.audit);
  return {
    nodes,
    shape,
    kind,
    schedule,
    warmupMs,
    durationMs,
    durationSec: run.durationSec,
    committedPerSecond: result.committedPerSecond,
    committed: result.committedInMeasured,
    latency: latencyStats(run.corrected),
    audit,
    batchErrors: run.errorCount + (result.warmup?.run.errorCount ?? 0),
    errorMessages: [...run.errorMessages, ...result.streamFailures],
    generator: run.generator,
    generatorEventLoopUtilization: result.measured.generatorEventLoopUtilization,
    generatorProcessCores: result.measured.generatorProcessCores,
    sourceExhausted: result.measured.sourceExhausted,
    nodeMemory: result.nodeMemory,
    probedPerSecond,
  };
}

function sumAudits(first: ReceiptAudit, second: ReceiptAudit): ReceiptAudit {
  const outcomes: Record<string, number> = { ...first.outcomesByReason };
  for (const [reason, count] of Object.entries(second.outcomesByReason)) outcomes[reason] = (outcomes[reason] ?? 0) + count;
  return {
    batchesSent: first.batchesSent + second.batchesSent,
    batchesAnswered: first.batchesAnswered + second.batchesAnswered,
    transactionsSent: first.transactionsSent + second.transactionsSent,
    receiptsReceived: first.receiptsReceived + second.receiptsReceived,
    committed: first.committed + second.committed,
    rejected: first.rejected + second.rejected,
    failed: first.failed + second.failed,
    otherStatus: first.otherStatus + second.otherStatus,
    missingReceipts: first.missingReceipts + second.missingReceipts,
    duplicateReceipts: first.duplicateReceipts + second.duplicateReceipts,
    unexpectedReceipts: first.unexpectedReceipts + second.unexpectedReceipts,
    outcomesByReason: outcomes,
    samples: [...first.samples, ...second.samples].slice(0, 5),
  };
}
