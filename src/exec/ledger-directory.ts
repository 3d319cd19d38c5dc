import path from 'node:path';
import type { NodeConfig } from '../config/types.js';

/** The ledger's LMDB folder inside the node's data folder: written by the main thread, read by the others. */
export function ledgerDirectoryFor(config: Pick<NodeConfig, 'node'>): string {
  return path.join(config.node.dataDir, 'ledger');
}
