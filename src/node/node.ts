/**
 * The main thread's job: start the node's threads in order, watch them, and stop them in the
 * reverse order. It serves no RPC itself.
 *
 *   start: shard rings → shard pool (piscina) → state machine (raft.stateMachine: the pipeline
 *          with the ledger, or the digest state machine) → apply bridge + Raft thread →
 *          acceptor thread (gRPC port)
 *   stop:  acceptor drains (no new calls, in-flight calls finish) → Raft thread stops (then the
 *          apply bridge finishes what it was handed) → state machine closes → shard pool
 *          closes → process may exit
 *
 * Two MessageChannels are made here: Raft thread ↔ apply bridge (committed entries, the
 * Orderer; src/consensus/apply-protocol.ts) and acceptor ↔ Raft thread (ConsensusService;
 * src/consensus/consensus-port-protocol.ts). Two more, main ↔ acceptor and main ↔ Raft thread,
 * carry only the event-loop delay questions of the `runtime` log line (src/node/runtime-report.ts).
 */
import path from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { NodeConfig } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import { createRing } from '../ring/index.js';
import { startShardPool, type ShardPool } from '../exec/shard-pool.js';
import type { AcceptorThreadData } from '../ingest/acceptor-thread.js';
import { startPipeline } from '../pipeline/wiring.js';
import { startApplyBridge } from '../consensus/apply-bridge.js';
import type { ApplyTarget } from '../consensus/apply-target.js';
import { DigestStateMachine } from '../consensus/digest-state-machine.js';
import type { RaftThreadData } from '../consensus/raft-thread.js';
import { eventLoopDelayChannel, type EventLoopDelayThreadData } from './event-loop-delay.js';
import { startRuntimeReports, type ReportedThread } from './runtime-report.js';
import { workerResourceLimits } from './memory-limits.js';
import { waitForReply, type ControlRequest } from './thread-messages.js';

const threadStartTimeoutMs = 30_000;
const threadStopTimeoutMs = 30_000;
const threadExitGraceMs = 5_000;

export interface RunningNode {
  /** The gRPC port actually bound (differs from config when config asks for port 0). */
  port: number;
  /** Drains and stops every thread. Safe to call more than once. */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Resolves with the reason if a thread dies on its own while the node runs. */
  failed: Promise<Error>;
}

function workerUrl(name: string): URL {
  // Compiled layout: dist/src/node/node.js → dist/workers/<name>.js
  return new URL(`../../workers/${name}.js`, import.meta.url);
}

export async function startNode(config: NodeConfig, logger: Logger): Promise<RunningNode> {
  const shardRings = Array.from({ length: config.shards.count }, () =>
    createRing({ records: config.shards.ringRecords, recordBytes: config.shards.ringRecordBytes }),
  );

  const started: Array<{ name: string; stop: () => Promise<void> }> = [];
  let failWith: (error: Error) => void = () => {};
  const failed = new Promise<Error>((resolve) => {
    failWith = resolve;
  });
  let stopping = false;

  const watch = (worker: Worker, name: string): void => {
    worker.on('error', (error) => {
      if (!stopping) failWith(new Error(`${name} thread failed: ${error.message}`));
    });
    worker.on('exit', (code) => {
      if (!stopping) failWith(new Error(`${name} thread exited unexpectedly with code ${code}`));
    });
  };

  const stopAll = async (): Promise<void> => {
    stopping = true;
    for (const part of started.reverse()) {
      await part.stop();
      logger.info('stopped', { part: part.name });
    }
    started.length = 0;
  };

  try {
    const pool: ShardPool = await startShardPool(config, shardRings);
    started.push({ name: 'shard pool', stop: () => pool.close() });
    logger.info('started', { part: 'shard pool', threads: pool.threadCount });

    // What committed entries are applied to (src/consensus/apply-target.ts).
    let applyTarget: ApplyTarget;
    let pipeline: Awaited<ReturnType<typeof startPipeline>> | undefined;
    if (config.raft.stateMachine === 'ledger') {
      // The transaction pipeline (src/pipeline): ledger + genesis, coordinator, block applier.
      pipeline = await startPipeline(config, logger, pool);
      const running = pipeline;
      started.push({ name: 'pipeline', stop: () => running.close() });
      void running.failed.then((error) => failWith(error));
      applyTarget = running.applyTarget;
    } else {
      const digest = DigestStateMachine.open(path.join(config.node.dataDir, 'digest'));
      started.push({ name: 'digest state machine', stop: () => digest.close() });
      applyTarget = digest;
    }

    const applyChannel = new MessageChannel();
    const consensusChannel = new MessageChannel();
    const bridge = startApplyBridge(applyChannel.port1, applyTarget, logger.child({ component: 'apply' }), failWith);
    pipeline?.useOrderer(bridge.orderer);
    const raftData: RaftThreadData = {
      config,
      appliedIndex: applyTarget.appliedIndex(),
      appliedDigest: applyTarget.appliedDigest?.(),
      applyPort: applyChannel.port2,
      acceptorPort: consensusChannel.port1,
    };
    // Each of the acceptor and Raft threads measures its own event loop (src/node/event-loop-delay.ts).
    const raftLoop = eventLoopDelayChannel();
    const raft = new Worker(workerUrl('raft'), {
      workerData: { ...raftData, eventLoopDelayPort: raftLoop.threadPort } satisfies RaftThreadData & EventLoopDelayThreadData,
      name: 'raft',
      transferList: [applyChannel.port2, consensusChannel.port1, raftLoop.threadPort],
      resourceLimits: workerResourceLimits(config.memory),
    });
    await waitForReply(raft, 'ready', 'raft', threadStartTimeoutMs);
    watch(raft, 'raft');
    started.push({
      name: 'raft thread',
      stop: async () => {
        await stopThread(raft, 'raft', { type: 'stop' }, 'stopped');
        // Entries handed over before the stop are applied before the state machine closes.
        await bridge.idle();
        bridge.close();
      },
    });
    logger.info('started', { part: 'raft thread' });

    // The acceptor hosts ConsensusService on the Raft thread's port (src/ingest/hosted-services.ts).
    const consensusPort: MessagePort = consensusChannel.port2;
    const acceptorData: AcceptorThreadData = {
      config,
      shardRings,
      consensusPort,
      ...(pipeline === undefined ? {} : { pipelinePort: pipeline.acceptorPort }),
    };
    const acceptorLoop = eventLoopDelayChannel();
    const acceptor = new Worker(workerUrl('acceptor'), {
      workerData: { ...acceptorData, eventLoopDelayPort: acceptorLoop.threadPort } satisfies AcceptorThreadData & EventLoopDelayThreadData,
      name: 'acceptor',
      transferList: [consensusPort, ...(pipeline === undefined ? [] : [pipeline.acceptorPort]), acceptorLoop.threadPort],
      resourceLimits: workerResourceLimits(config.memory),
    });
    const ready = await waitForReply(acceptor, 'ready', 'acceptor', threadStartTimeoutMs);
    watch(acceptor, 'acceptor');
    let graceMsForDrain = 10_000;
    started.push({
      name: 'acceptor thread',
      stop: () => stopThread(acceptor, 'acceptor', { type: 'drain', graceMs: graceMsForDrain }, 'drained'),
    });
    const port = ready.port ?? config.grpc.port;
    const host = config.grpc.host === '0.0.0.0' || config.grpc.host === '::' ? '127.0.0.1' : config.grpc.host;
    raft.postMessage({ type: 'listening', address: `${host.includes(':') ? `[${host}]` : host}:${port}` } satisfies ControlRequest);
    logger.info('node started', { nodeId: config.node.id, port, profiles: config.profiles });
    const threads = (): ReportedThread[] => [
      { name: 'acceptor', worker: acceptor, eventLoopDelay: acceptorLoop.reader },
      { name: 'raft', worker: raft, eventLoopDelay: raftLoop.reader },
      ...pool.threads().map((worker, index) => ({ name: `shard-worker-${index}`, worker })),
    ];
    const reporter =
      config.log.runtimeReportIntervalMs > 0 ? startRuntimeReports(logger.child({ component: 'runtime' }), config.log.runtimeReportIntervalMs, threads) : undefined;

    let stopped: Promise<void> | undefined;
    return {
      port,
      failed,
      stop(options) {
        graceMsForDrain = options?.graceMs ?? graceMsForDrain;
        reporter?.stop();
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function stopThread(
  worker: Worker,
  name: string,
  request: ControlRequest,
  expected: 'stopped' | 'drained',
): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.postMessage(request);
  try {
    await waitForReply(worker, expected, name, threadStopTimeoutMs);
  } catch {
    // A thread that cannot finish in time is terminated: the durable state is the Raft log and
    // LMDB, both crash-safe, so a forced stop loses nothing that was acknowledged.
    await worker.terminate();
  }
  // A thread that answered has released its resources; one that lingers only holds handles.
  const lingering = setTimeout(() => void worker.terminate(), threadExitGraceMs);
  await exited;
  clearTimeout(lingering);
}
