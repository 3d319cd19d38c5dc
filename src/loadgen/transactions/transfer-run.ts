/**
 * One measured transfer run against a node or cluster: plan the workload from the ledger's
 * current nonces, prepare (and sign) every batch in worker threads before the clock starts, open
 * one connection per stream, run an optional warm-up and then the measured segment, and audit
 * the receipts. The load command and the ingest benchmark are built on it.
 */
import os from 'node:os';
import { createClient } from '../../client/index.js';
import { invalidArgument } from '../../errors.js';
import type { LoadAccounts } from './load-accounts.js';
import { startMemorySampler, type MemorySample } from './memory-sampler.js';
import { startNodeEventLoopRecorder, type NodeEventLoopSample, type RuntimeReportSource } from './node-event-loop.js';
import { FixedWorkload, prepareBatches, type BatchSource, type PreparationReport } from './prepared-workload.js';
import { ReceiptTally, type ReceiptAudit } from './receipt-tally.js';
import { readNonces, splitIds } from './account-reads.js';
import { StreamPool } from './stream-pool.js';
import { runTransferSegment, type TransferSchedule, type TransferSegmentResult } from './transfer-load.js';
import type { EncodedInterval } from '../run-result.js';
import { batchCoordinatesOf, type SignatureMode, type WorkloadPlan } from './workload-plan.js';

export interface WorkloadShape {
  readonly signatureMode: SignatureMode;
  readonly streams: number;
  readonly batchSize: number;
  /** Zipf exponent of the receiver choice; 1 by default. */
  readonly receiverSkew?: number;
  /** 1 by default. */
  readonly fee?: bigint;
  /** 1,000 by default. */
  readonly amountMax?: number;
  /** 1 by default. */
  readonly seed?: number;
}

export interface DriveOptions {
  readonly leader: string;
  readonly accounts: LoadAccounts;
  /** The leader's pid when local: its memory is sampled during the measured segment. */
  readonly leaderPid?: number;
  /** The leader when this process started it: its event loops are recorded from its `runtime` lines. */
  readonly leaderRuntimeReports?: RuntimeReportSource;
  readonly schedule: TransferSchedule;
  readonly durationMs: number;
  /** Run first and not measured (JIT, connection windows, caches); 0 by default. */
  readonly warmupMs?: number;
  /** Per stream, the first batch number to send (continuing an earlier run on the same ledger). */
  readonly firstBatchNumbers?: readonly number[];
  readonly intervalMs?: number;
  readonly operationTimeoutMs?: number;
  /** How long to wait after the run for receipts still due (timeouts); 5,000 ms by default. */
  readonly receiptGraceMs?: number;
  readonly memorySampleIntervalMs?: number;
  readonly onProgress?: (message: string) => void;
  readonly onInterval?: (interval: EncodedInterval) => void;
}

export interface TransferRunOptions extends DriveOptions {
  readonly workload: WorkloadShape;
  /** Closed loop: transactions to prepare (warm-up included); the run ends early if they run out. */
  readonly preparedTransactions?: number;
  readonly prepareThreads?: number;
}

export type PlanShape = Omit<WorkloadPlan, 'accountIds' | 'accountSeeds' | 'submitterSeed' | 'startNonces'>;

export interface DriveResult {
  readonly plan: PlanShape;
  readonly warmup: TransferSegmentResult | null;
  readonly measured: TransferSegmentResult;
  /** Every receipt of the run, warm-up included. */
  readonly audit: ReceiptAudit;
  /** Transactions COMMITTED during the measured segment, per second of it. */
  readonly committedPerSecond: number;
  readonly committedInMeasured: number;
  /** The leader's memory during the measured segment (t from its start); empty when not local. */
  readonly nodeMemory: readonly MemorySample[];
  /** The leader's event loops during the measured segment; null when not observable (not started here). */
  readonly nodeEventLoop: readonly NodeEventLoopSample[] | null;
  readonly streamFailures: readonly string[];
}

export interface TransferRunResult extends DriveResult {
  readonly preparation: PreparationReport;
}

export function buildPlan(accounts: LoadAccounts, workload: WorkloadShape, startNonces: BigUint64Array): WorkloadPlan {
  return {
    signatureMode: workload.signatureMode,
    chainId: accounts.chainId,
    fee: workload.fee ?? 1n,
    amountMax: workload.amountMax ?? 1000,
    accountCount: accounts.count,
    accountIds: accounts.accountIds,
    accountSeeds: workload.signatureMode === 'per-transaction' ? accounts.accountSeeds : null,
    submitterSeed: workload.signatureMode === 'batch-signed' ? accounts.submitterSeed : null,
    startNonces,
    streamCount: workload.streams,
    batchSize: workload.batchSize,
    receiverSkew: workload.receiverSkew ?? 1,
    seed: workload.seed ?? 1,
  };
}

/** The ledger's next nonce of every workload account, read from `address`. */
export async function currentNonces(address: string, accounts: LoadAccounts): Promise<BigUint64Array> {
  const client = createClient(address, { deadlineMs: 10_000 });
  try {
    return await readNonces(client, splitIds(accounts.accountIds));
  } finally {
    client.close();
  }
}

/** Batches each stream needs for the run (warm-up included). */
export function batchesPerStream(options: TransferRunOptions): number {
  const { schedule, workload } = options;
  const seconds = (options.durationMs + (options.warmupMs ?? 0)) / 1000;
  const transactions =
    schedule.kind === 'open-loop'
      ? Math.ceil(schedule.transactionsPerSecond * seconds)
      : (options.preparedTransactions ?? (() => {
          throw invalidArgument('preparedTransactions', 'a closed-loop run needs to know how many transactions to prepare');
        })());
  return Math.max(1, Math.ceil(transactions / workload.batchSize / workload.streams));
}

export async function runTransfers(options: TransferRunOptions): Promise<TransferRunResult> {
  const progress = options.onProgress ?? (() => undefined);
  const startNonces = await currentNonces(options.leader, options.accounts);
  const plan = buildPlan(options.accounts, options.workload, startNonces);
  const perStream = batchesPerStream(options);
  progress(
    `preparing ${(perStream * plan.streamCount * plan.batchSize).toLocaleString('en-US')} ${plan.signatureMode} transfers ` +
      `(${plan.streamCount} streams × ${perStream} batches of ${plan.batchSize}) on ${options.prepareThreads ?? os.availableParallelism()} threads`,
  );
  const { batches, report: preparation } = await prepareBatches(plan, { toBatchNumber: perStream, ...(options.prepareThreads === undefined ? {} : { threads: options.prepareThreads }) });
  progress(`prepared in ${(preparation.elapsedMs / 1000).toFixed(1)} s (${(preparation.byteCount / 1e6).toFixed(1)} MB)`);
  const driven = await driveTransfers(plan, new FixedWorkload(plan, batches), options);
  return { ...driven, preparation };
}

/** Sends from `source` (prepared for `plan`) to the leader: warm-up, measured segment, audit. */
export async function driveTransfers(plan: WorkloadPlan, source: BatchSource, options: DriveOptions): Promise<DriveResult> {
  const progress = options.onProgress ?? (() => undefined);
  const tally = new ReceiptTally(plan.streamCount, (batchId) => batchCoordinatesOf(plan, batchId));
  const pool = new StreamPool({ address: options.leader, streamCount: plan.streamCount, tally });
  const segmentOptions = {
    pool,
    source,
    batchSize: plan.batchSize,
    schedule: options.schedule,
    ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
    ...(options.operationTimeoutMs === undefined ? {} : { operationTimeoutMs: options.operationTimeoutMs }),
  };
  let warmup: TransferSegmentResult | null = null;
  let measured: TransferSegmentResult;
  let committedInMeasured: number;
  let nodeMemory: MemorySample[];
  let nodeEventLoop: NodeEventLoopSample[] | null;
  try {
    let first: readonly number[] | undefined = options.firstBatchNumbers;
    if ((options.warmupMs ?? 0) > 0) {
      progress(`warming up for ${options.warmupMs} ms`);
      warmup = await runTransferSegment({ ...segmentOptions, durationMs: options.warmupMs!, ...(first === undefined ? {} : { firstBatchNumbers: first }) });
      first = warmup.nextBatchNumbers;
    }
    const committedBefore = tally.audit().committed;
    const startNs = process.hrtime.bigint();
    const sampler = options.leaderPid === undefined ? undefined : startMemorySampler(options.leaderPid, { startNs, intervalMs: options.memorySampleIntervalMs ?? 1000 });
    const eventLoop = options.leaderRuntimeReports === undefined ? undefined : startNodeEventLoopRecorder(options.leaderRuntimeReports, { startNs });
    progress(`measuring for ${options.durationMs} ms`);
    try {
      measured = await runTransferSegment({
        ...segmentOptions,
        durationMs: options.durationMs,
        ...(first === undefined ? {} : { firstBatchNumbers: first }),
        ...(options.onInterval === undefined ? {} : { onInterval: options.onInterval }),
      });
    } finally {
      nodeMemory = sampler?.stop() ?? [];
      nodeEventLoop = (await eventLoop?.stop()) ?? null;
    }
    committedInMeasured = tally.audit().committed - committedBefore;
    const graceDeadline = Date.now() + (options.receiptGraceMs ?? 5_000);
    while (tally.batchesWaiting > 0 && pool.failures.length < plan.streamCount && Date.now() < graceDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await pool.close();
  }
  const { accountIds: _ids, accountSeeds: _seeds, submitterSeed: _submitter, startNonces: _nonces, ...shape } = plan;
  return {
    plan: shape,
    warmup,
    measured,
    audit: tally.audit(),
    committedInMeasured,
    committedPerSecond: measured.run.durationSec > 0 ? committedInMeasured / measured.run.durationSec : 0,
    nodeMemory,
    nodeEventLoop,
    streamFailures: pool.failures,
  };
}
