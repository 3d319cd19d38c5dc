/**
 * Opens what TransactionService serves from on the acceptor thread: a reading handle on the
 * ledger store (written by the main thread, which initialised genesis before this thread
 * started), the link to the coordinator, and the intake writing into the shard rings.
 */
import type { MessagePort } from 'node:worker_threads';
import type { NodeConfig } from '../config/types.js';
import { ledgerDirectoryFor } from '../exec/ledger-directory.js';
import { openLedgerStore } from '../ledger/index.js';
import type { Logger } from '../log/logger.js';
import type { HostedService } from '../server/grpc-server.js';
import { RawTransactionServiceDefinition } from '../wire/index.js';
import { BatchIntake } from './batch-intake.js';
import { LedgerReads } from './ledger-reads.js';
import { PipelineLink } from './pipeline-link.js';
import { createTransactionServiceHandlers } from './transaction-service.js';

export const transactionServiceName = 'aurigraph.v11.TransactionService';

export interface TransactionServiceResources {
  /** One ring per shard; this thread is the only producer of each. */
  shardRings: SharedArrayBuffer[];
  /** The coordinator's port (src/pipeline/messages.ts). */
  pipelinePort: MessagePort;
}

export interface OpenTransactionService {
  hosted: HostedService;
  close(): Promise<void>;
}

export function openTransactionService(config: NodeConfig, logger: Logger, resources: TransactionServiceResources): OpenTransactionService {
  const serviceLogger = logger.child({ component: 'transaction-service' });
  const store = openLedgerStore(ledgerDirectoryFor(config), { writer: false });
  try {
    const link = new PipelineLink(resources.pipelinePort);
    const intake = new BatchIntake({
      limits: {
        chainId: store.chainParameters().chainId,
        maxBatchTransactions: config.batching.maxBatchTransactions,
        maxBatchBytes: config.batching.maxBatchBytes,
        payloadBytesMax: config.batching.maxPayloadBytes,
        verifyRecordBytes: config.shards.ringRecordBytes,
      },
      shardRings: resources.shardRings,
      maxInflightTransactions: config.batching.maxInflightTransactions,
      link,
    });
    const reads = new LedgerReads(store, () => link.appliedHeight);
    return {
      hosted: {
        name: transactionServiceName,
        definition: RawTransactionServiceDefinition,
        handlers: createTransactionServiceHandlers(intake, reads, serviceLogger),
      },
      async close() {
        link.close();
        await store.close();
      },
    };
  } catch (error) {
    void store.close();
    throw error;
  }
}
