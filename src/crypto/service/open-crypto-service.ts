import type { NodeConfig } from '../../config/types.js';
import { CryptoServiceDefinition } from '../../generated/aurigraph.js';
import type { Logger } from '../../log/logger.js';
import type { HostedService } from '../../server/grpc-server.js';
import { selectKemBackend, selectSignatureBackend } from '../backend-selection.js';
import { keystorePath, openKeystore } from '../keystore/keystore.js';
import { createCryptoServiceHandlers } from './grpc-handlers.js';
import { KeyLabels } from './key-labels.js';
import { resolveOperatorSecret } from './operator-secret-policy.js';

export const cryptoServiceName = 'aurigraph.v11.CryptoService';

export interface OpenCryptoServiceOptions {
  config: NodeConfig;
  logger: Logger;
  /** Where the operator secret is read; process.env when absent. */
  environment?: NodeJS.ProcessEnv;
  /** The audit clock; Date.now when absent. */
  nowMs?: () => number;
}

export interface OpenCryptoService {
  hosted: HostedService;
  /** Closes the keystore (LMDB) and drops cached private keys. */
  close(): Promise<void>;
}

/**
 * Opens what CryptoService serves from: the backends `crypto.backend` selects, the keystore in
 * `<dataDir>/keystore` unlocked by the operator secret, and the key labels. A missing or wrong
 * secret rejects with a message naming the variable (and the keystore path), before anything
 * on disk is written.
 */
export async function openCryptoService(options: OpenCryptoServiceOptions): Promise<OpenCryptoService> {
  const { config } = options;
  const logger = options.logger.child({ component: 'crypto-service' });
  const signatureBackend = selectSignatureBackend(config.crypto.backend);
  const kemBackend = selectKemBackend(config.crypto.backend);
  const { scryptN, scryptR, scryptP, secretEnv } = config.crypto.keystore;
  const { secret } = resolveOperatorSecret(config, options.environment ?? process.env, logger);
  let keystore;
  try {
    keystore = await openKeystore({
      path: keystorePath(config.node.dataDir),
      secret,
      scrypt: { N: scryptN, r: scryptR, p: scryptP },
      signatureBackend,
      kemBackend,
      secretEnvName: secretEnv,
    });
  } finally {
    // The keystore keeps only the derived key-encryption key; the secret itself need not linger.
    secret.fill(0);
  }
  let labels: KeyLabels;
  try {
    labels = KeyLabels.open(config.node.dataDir);
  } catch (error) {
    await keystore.close();
    throw error;
  }
  logger.info('keystore opened', {
    path: keystore.path,
    keys: keystore.listKeyIds().length,
    signatureBackend: signatureBackend.name,
    kemBackend: kemBackend.name,
  });
  const handlers = createCryptoServiceHandlers(
    { keystore, labels, signatureBackend, kemBackend, nowMs: options.nowMs ?? Date.now },
    logger,
  );
  return {
    hosted: { name: cryptoServiceName, definition: CryptoServiceDefinition, handlers },
    close: () => keystore.close(),
  };
}
