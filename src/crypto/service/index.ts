/**
 * CryptoService over gRPC: the node's key management, signing, encapsulation and key derivation
 * (proto/aurigraph/v11/crypto_service.proto), served from src/crypto's keystore and backends.
 * The acceptor thread opens it through src/ingest/hosted-services.ts.
 */
export { openCryptoService, cryptoServiceName, type OpenCryptoService, type OpenCryptoServiceOptions } from './open-crypto-service.js';
export { createCryptoServiceHandlers } from './grpc-handlers.js';
export type { CryptoServiceContext } from './service-context.js';
export { resolveOperatorSecret, developmentProfile, developmentSecret, type OperatorSecret } from './operator-secret-policy.js';
export { KeyLabels, keyLabelsFileName } from './key-labels.js';
