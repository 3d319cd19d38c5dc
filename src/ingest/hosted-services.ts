/**
 * Which of the seven services this node hosts, and the resources they hold open. A service is
 * registered once its subsystem is built; until then the port does not advertise it, so clients
 * get the standard 'unknown service' status instead of a half-working method.
 *
 * Hosted so far: CryptoService (src/crypto/service), which holds the keystore open, and
 * TransactionService (src/ingest/transaction-service.ts), which holds the ledger store open,
 * and ConsensusService (src/consensus), which forwards to the Raft thread over its port.
 */
import type { NodeConfig } from '../config/types.js';
import type { MessagePort } from 'node:worker_threads';
import { openConsensusService } from '../consensus/consensus-service.js';
import { openCryptoService } from '../crypto/service/index.js';
import type { Logger } from '../log/logger.js';
import type { HostedService } from '../server/grpc-server.js';
import { openTransactionService, type TransactionServiceResources } from './open-transaction-service.js';

export interface OpenServices {
  hosted: HostedService[];
  /** Releases what the services hold (LMDB environments, key material). */
  close(): Promise<void>;
}

export async function openHostedServices(
  config: NodeConfig,
  logger: Logger,
  transaction?: TransactionServiceResources,
  consensusPort?: MessagePort,
): Promise<OpenServices> {
  const hosted: HostedService[] = [];
  const closers: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.reverse()) await closer();
    closers.length = 0;
  };
  try {
    const crypto = await openCryptoService({ config, logger });
    hosted.push(crypto.hosted);
    closers.push(crypto.close);
    // TransactionService needs the shard rings and the coordinator's port (src/pipeline).
    if (transaction !== undefined) {
      const transactions = openTransactionService(config, logger, transaction);
      hosted.push(transactions.hosted);
      closers.push(transactions.close);
    }
    // ConsensusService needs the Raft thread's port, which the main thread hands this thread.
    if (consensusPort !== undefined) {
      const consensus = openConsensusService({ config, logger, port: consensusPort });
      hosted.push(consensus.hosted);
      closers.push(consensus.close);
    }
  } catch (error) {
    // A later service failing to open must not leave an earlier one's files open.
    await close();
    throw error;
  }
  logger.debug('services opened', { count: hosted.length, dataDir: config.node.dataDir });
  return { hosted, close };
}
