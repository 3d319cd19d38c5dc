/**
 * The typed client for all seven services, over one HTTP/2 channel. Other parts of the
 * project and the tests use it instead of hand-made stubs.
 *
 *   const client = createClient('127.0.0.1:9004');
 *   const account = await client.transaction.getAccount({ accountId });
 *   for await (const receipts of stream) ...
 *   client.close();
 */
import * as grpc from '@grpc/grpc-js';
import {
  ConsensusServiceDefinition,
  ContractServiceDefinition,
  CryptoServiceDefinition,
  NetworkServiceDefinition,
  StorageServiceDefinition,
  TraceabilityServiceDefinition,
  TransactionServiceDefinition,
  type ConsensusServiceMethods,
  type ContractServiceMethods,
  type CryptoServiceMethods,
  type NetworkServiceMethods,
  type StorageServiceMethods,
  type TraceabilityServiceMethods,
  type TransactionServiceMethods,
} from '../generated/aurigraph.js';
import type { ServiceClient } from './call-types.js';
import { bindHealth, type HealthClient } from './health.js';
import { bindService, type ClientDefaults } from './service-client.js';

export interface ClientOptions {
  /** Deadline of unary calls unless a call sets its own (streams have none by default). */
  deadlineMs?: number;
  /** Attempts in all for idempotent reads that fail with UNAVAILABLE. */
  readAttemptsMax?: number;
  retryBackoffMs?: number;
  credentials?: grpc.ChannelCredentials;
  channelOptions?: grpc.ChannelOptions;
}

export interface AurigraphClient {
  transaction: ServiceClient<TransactionServiceMethods>;
  consensus: ServiceClient<ConsensusServiceMethods>;
  contract: ServiceClient<ContractServiceMethods>;
  crypto: ServiceClient<CryptoServiceMethods>;
  storage: ServiceClient<StorageServiceMethods>;
  traceability: ServiceClient<TraceabilityServiceMethods>;
  network: ServiceClient<NetworkServiceMethods>;
  health: HealthClient;
  /** Resolves once the channel is connected, or rejects after `timeoutMs`. */
  waitForReady(timeoutMs: number): Promise<void>;
  close(): void;
}

export function createClient(address: string, options: ClientOptions = {}): AurigraphClient {
  const defaults: ClientDefaults = {
    deadlineMs: options.deadlineMs ?? 10_000,
    readAttemptsMax: options.readAttemptsMax ?? 3,
    retryBackoffMs: options.retryBackoffMs ?? 100,
  };
  // One grpc.Client is one channel: every service below shares its HTTP/2 connection.
  const channel = new grpc.Client(address, options.credentials ?? grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
    'grpc.max_send_message_length': 64 * 1024 * 1024,
    ...options.channelOptions,
  });
  return {
    transaction: bindService<TransactionServiceMethods>(channel, TransactionServiceDefinition, defaults),
    consensus: bindService<ConsensusServiceMethods>(channel, ConsensusServiceDefinition, defaults),
    contract: bindService<ContractServiceMethods>(channel, ContractServiceDefinition, defaults),
    crypto: bindService<CryptoServiceMethods>(channel, CryptoServiceDefinition, defaults),
    storage: bindService<StorageServiceMethods>(channel, StorageServiceDefinition, defaults),
    traceability: bindService<TraceabilityServiceMethods>(channel, TraceabilityServiceDefinition, defaults),
    network: bindService<NetworkServiceMethods>(channel, NetworkServiceDefinition, defaults),
    health: bindHealth(channel, defaults.deadlineMs),
    waitForReady(timeoutMs) {
      return new Promise((resolve, reject) => {
        channel.waitForReady(Date.now() + timeoutMs, (error) => (error ? reject(error) : resolve()));
      });
    },
    close: () => channel.close(),
  };
}
