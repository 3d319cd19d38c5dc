/**
 * Which of the seven services this node hosts, and the resources they hold open. A service is
 * registered once its subsystem is built; until then the port does not advertise it, so clients
 * get UNIMPLEMENTED instead of a half-working method.
 */
import type { NodeConfig } from '../config/types.js';
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
  logger.debug('services opened', { count: hosted.length, dataDir: config.node.dataDir });
  return {
    hosted,
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}
