/**
 * The pipeline's start on the main thread: the ledger store (the only writer), genesis from
 * ledger.genesisFile, the coordinator and its block applier, and the port the acceptor thread
 * talks to it on. src/node calls this once the shard pool runs, hands `applyTarget` and an
 * Orderer to the Raft runtime, and transfers `acceptorPort` to the acceptor thread.
 */
import { mkdirSync } from 'node:fs';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { NodeConfig } from '../config/types.js';
import { ledgerDirectoryFor } from '../exec/ledger-directory.js';
import type { ShardPool } from '../exec/shard-pool.js';
import { type LedgerStore, openLedgerStore } from '../ledger/index.js';
import type { Logger } from '../log/logger.js';
import { logEntryBytesMaxFor } from '../wire/index.js';
import { BlockApplier } from './block-applier.js';
import { Coordinator } from './coordinator.js';
import { readGenesisFile } from './genesis-file.js';
import { IndexMaintenance } from './index-maintenance.js';
import type { ApplyTarget, Orderer, ProposeOutcome } from './ordering.js';

export interface RunningPipeline {
  /** What the Raft runtime delivers committed entries to. */
  applyTarget: ApplyTarget;
  /** The acceptor's end of the coordinator port: transfer it to the acceptor thread. */
  acceptorPort: MessagePort;
  /** Where proposals go; until one is given, batches are refused as not ordered. */
  useOrderer(orderer: Orderer): void;
  /** Resolves if the pipeline hits a bug that leaves a ring or the ledger in an unknown state. */
  failed: Promise<Error>;
  /** Waits for the block being applied, then closes the ledger store. */
  close(): Promise<void>;
}

export async function startPipeline(config: NodeConfig, logger: Logger, pool: ShardPool): Promise<RunningPipeline> {
  const pipelineLogger = logger.child({ component: 'pipeline' });
  const genesis = readGenesisFile(config.ledger.genesisFile);
  const directory = ledgerDirectoryFor(config);
  mkdirSync(directory, { recursive: true });
  const ledger: LedgerStore = openLedgerStore(directory);
  try {
    const result = ledger.initGenesis(genesis);
    pipelineLogger.info(result.created ? 'ledger created from genesis' : 'ledger opened', {
      genesisFile: config.ledger.genesisFile,
      chainId: result.chain.chainId,
      // A prefix to tell chains apart; logs carry no long hex runs (test/crypto-service checks).
      genesisHashPrefix: Buffer.from(result.genesisHash.subarray(0, 8)).toString('hex'),
      appliedIndex: Number(ledger.appliedIndex()),
      height: Number(ledger.lastBlock()?.header.height ?? 0n),
    });
  } catch (error) {
    await ledger.close();
    throw error;
  }

  let failWith: (error: Error) => void = () => undefined;
  const failed = new Promise<Error>((resolve) => {
    failWith = resolve;
  });
  const onFatal = (error: unknown): void => {
    pipelineLogger.error('pipeline failed', { error });
    failWith(error instanceof Error ? error : new Error(String(error)));
  };

  let orderer: Orderer | undefined;
  const ordererSlot: Orderer = {
    propose(data: Uint8Array): Promise<ProposeOutcome> {
      if (orderer === undefined) return Promise.resolve({ accepted: false, message: 'this node has no Raft runtime to order batches yet' });
      return orderer.propose(data);
    },
  };
  const coordinator = new Coordinator({
    pool,
    shardCount: config.shards.count,
    ringRecords: config.shards.ringRecords,
    nodeId: config.node.id,
    entryBytesMax: 1 + logEntryBytesMaxFor(config.batching.maxBatchTransactions, config.batching.maxBatchBytes),
    orderer: ordererSlot,
    logger: pipelineLogger,
    onFatal,
  });
  const applier = new BlockApplier({ ledger, pool, shardCount: config.shards.count, coordinator, logger: pipelineLogger });
  const indexMaintenance = new IndexMaintenance(ledger, pool, onFatal);
  const channel = new MessageChannel();
  coordinator.attachAcceptor(channel.port1);

  return {
    applyTarget: {
      apply: (entries) =>
        applier.apply(entries).then(
          () => indexMaintenance.afterCommit(),
          (error: unknown) => {
            onFatal(error);
            throw error;
          },
        ),
      snapshot: () => applier.snapshot(),
      restore: (snapshot) => applier.restore(snapshot),
      appliedIndex: () => applier.appliedIndex(),
    },
    acceptorPort: channel.port2,
    useOrderer(next) {
      orderer = next;
    },
    failed,
    async close() {
      await applier.apply([]).catch(() => undefined);
      coordinator.close();
      await indexMaintenance.close();
      await ledger.close();
    },
  };
}
