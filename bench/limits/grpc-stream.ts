/**
 * Limit 1: the raw gRPC stream rate on this machine. A server process hosting a bare
 * StreamTransactions (grpc-stream-server.ts) and a client process sending pre-encoded TxBatch
 * messages over N streams, closed loop (grpc-stream-client.ts). Same bytes on the wire as the
 * node, same server options (the bench profile), no processing: no node can beat it here.
 */
import { invalidArgument } from '../../src/errors.js';
import { loadConfig } from '../../src/config/index.js';
import type { LatencyStats } from '../../src/report/index.js';
import { startChildProcess, runInChildProcess } from '../common/child-process.js';
import { coresBusyWithin } from '../common/cpu-usage.js';
import { encodeTransferBatch, signatureModes, type SignatureMode } from './batch-shapes.js';
import type { GrpcStreamClientInput, GrpcStreamClientResult } from './grpc-stream-client.js';
import type { GrpcStreamServerInput, GrpcStreamServerReady, GrpcStreamServerResult } from './grpc-stream-server.js';

export interface RawGrpcStreamOptions {
  signatureMode: SignatureMode;
  /** Generator worker threads in the client process, each with its own connections. */
  clientThreads: number;
  /** HTTP/2 connections per client thread. */
  connectionsPerThread: number;
  /** StreamTransactions streams per connection. */
  streamsPerConnection: number;
  /** Closed loop: batches written and not yet answered, per stream. */
  batchesInFlightPerStream: number;
  durationMs: number;
  /** Unmeasured run first (JIT, connection windows); 300 ms by default. */
  warmupMs?: number;
  /** 1,024 by default. */
  transactionsPerBatch?: number;
  /** Config profile whose grpc section the server uses; 'bench' by default. */
  profile?: string;
}

export interface RawGrpcStreamResult {
  limit: 'raw-grpc-stream';
  configuration: {
    signatureMode: SignatureMode;
    transactionsPerBatch: number;
    clientThreads: number;
    connectionsPerThread: number;
    streamsPerConnection: number;
    batchesInFlightPerStream: number;
    /** clientThreads × connectionsPerThread × streamsPerConnection × batchesInFlightPerStream. */
    batchesInFlightTotal: number;
    durationMs: number;
    warmupMs: number;
    profile: string;
    batchBytes: number;
    receiptBatchBytes: number;
    serverOptions: Record<string, unknown>;
  };
  completedBatches: number;
  errorCount: number;
  errorMessages: string[];
  durationSec: number;
  batchesPerSecond: number;
  transactionsPerSecond: number;
  /** TxBatch bytes per second, client to server (message bodies, without gRPC framing). */
  requestBytesPerSecond: number;
  /** Write of a batch to arrival of its receipts, microseconds (HDR, 3 significant digits). */
  batchRoundTrip: LatencyStats;
  /** CPU seconds per wall second over the measured run; undefined when the run was too short. */
  serverCoresBusy: number | undefined;
  clientCoresBusy: number | undefined;
}

const defaultTransactionsPerBatch = 1024;
const serverModule = new URL('./grpc-stream-server.js', import.meta.url);
const clientModule = new URL('./grpc-stream-client.js', import.meta.url);

function positive(field: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw invalidArgument(field, `must be a positive whole number, got ${value}`);
  return value;
}

export async function measureRawGrpcStream(options: RawGrpcStreamOptions): Promise<RawGrpcStreamResult> {
  if (!signatureModes.includes(options.signatureMode)) {
    throw invalidArgument('signatureMode', `must be one of ${signatureModes.join(', ')}, got ${String(options.signatureMode)}`);
  }
  const transactionsPerBatch = positive('transactionsPerBatch', options.transactionsPerBatch ?? defaultTransactionsPerBatch);
  const clientThreads = positive('clientThreads', options.clientThreads);
  const connectionsPerThread = positive('connectionsPerThread', options.connectionsPerThread);
  const streamsPerConnection = positive('streamsPerConnection', options.streamsPerConnection);
  const batchesInFlightPerStream = positive('batchesInFlightPerStream', options.batchesInFlightPerStream);
  const durationMs = positive('durationMs', options.durationMs);
  const warmupMs = options.warmupMs ?? 300;
  if (!Number.isInteger(warmupMs) || warmupMs < 0) throw invalidArgument('warmupMs', `must be a whole number >= 0, got ${warmupMs}`);
  const profile = options.profile ?? 'bench';
  const messageBytesMax = loadConfig({ profile, env: {} }).grpc.maxReceiveMessageBytes;
  // Encoded here only for its size; each client worker encodes its own copy of the same shape.
  const batchBytes = encodeTransferBatch(options.signatureMode, transactionsPerBatch).length;
  // Bounds: warm-up and run, plus child start-up; a batch that takes 10 s is a broken run.
  const operationTimeoutMs = 10_000;
  const timeoutMs = warmupMs + durationMs + 2 * operationTimeoutMs + 30_000;

  const server = startChildProcess<GrpcStreamServerInput, GrpcStreamServerReady, GrpcStreamServerResult>({
    module: serverModule,
    label: 'raw gRPC server',
    input: { transactionsPerBatch, profile },
    timeoutMs,
  });
  try {
    const ready = await server.ready;
    const client = await runInChildProcess<GrpcStreamClientInput, GrpcStreamClientResult>({
      module: clientModule,
      label: 'raw gRPC client',
      input: {
        operation: {
          port: ready.port,
          signatureMode: options.signatureMode,
          transactionsPerBatch,
          connectionsPerThread,
          streamsPerConnection,
          batchesInFlightPerStream,
          messageBytesMax,
        },
        clientThreads,
        warmupMs,
        durationMs,
        operationTimeoutMs,
      },
      timeoutMs,
    });
    server.stop();
    const served = await server.result;
    return {
      limit: 'raw-grpc-stream',
      configuration: {
        signatureMode: options.signatureMode,
        transactionsPerBatch,
        clientThreads,
        connectionsPerThread,
        streamsPerConnection,
        batchesInFlightPerStream,
        batchesInFlightTotal: clientThreads * connectionsPerThread * streamsPerConnection * batchesInFlightPerStream,
        durationMs,
        warmupMs,
        profile,
        batchBytes,
        receiptBatchBytes: ready.receiptBatchBytes,
        serverOptions: { ...ready.serverOptions },
      },
      completedBatches: client.completedBatches,
      errorCount: client.errorCount,
      errorMessages: client.errorMessages,
      durationSec: client.durationSec,
      batchesPerSecond: client.batchesPerSecond,
      transactionsPerSecond: client.batchesPerSecond * transactionsPerBatch,
      requestBytesPerSecond: client.batchesPerSecond * batchBytes,
      batchRoundTrip: client.roundTrip,
      serverCoresBusy: coresBusyWithin(served.cpuSamples, client.windowStartEpochMs, client.windowEndEpochMs),
      clientCoresBusy: client.clientCoresBusy,
    };
  } finally {
    server.kill();
  }
}
