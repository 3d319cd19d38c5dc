export { createClient, type AurigraphClient, type ClientOptions } from './client.js';
export type { CallOptions, DuplexStream, ResponseStream, ServiceClient } from './call-types.js';
export type { HealthStatus } from './health.js';
export {
  transfer,
  registerKey,
  signTransaction,
  buildSignedBatch,
  buildBatchSignedBatch,
  transactionHashOf,
  keyIdOf,
  keyAlgorithmOf,
  type SigningKey,
  type TransferFields,
  type RegisterKeyFields,
  type BatchSigningOptions,
} from './transactions.js';
export {
  devAccount,
  devAccountSeed,
  devSubmitter,
  devGenesis,
  devChainId,
  devAccountCount,
  devAccountBalance,
  devFeeAccountId,
  type DevAccount,
} from './dev-keys.js';
