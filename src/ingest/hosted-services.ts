/**
 * Which of the seven services this node hosts, and the resources they hold open. A service is
 * registered once its subsystem is built; until then the port does not advertise it, so clients
 * get UNIMPLEMENTED instead of a half-working method.
 *
 * Hosted so far: CryptoService (src/crypto/service), which holds the keystore open.
 */
import type { NodeConfig } from '../config/types.js';
import { openCryptoService } from '../crypto/service/index.js';
import type { Logger } from '../log/logger.js';
import type { HostedService } from '../server/grpc-server.js';

export interface OpenServices {
  hosted: HostedService[];
  /** Releases what the services hold (LMDB environments, key material). */
  close(): Promise<void>;
}

export async function openHostedServices(config: NodeConfig, logger: Logger): Promise<OpenServices> {
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
  } catch (error) {
    // A later service failing to open must not leave an earlier one's files open.
    await close();
    throw error;
  }
  logger.debug('services opened', { count: hosted.length, dataDir: config.node.dataDir });
  return { hosted, close };
}
