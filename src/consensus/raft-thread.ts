/**
 * The Raft thread: the only thread that orders batches. It owns the durable Raft log in
 * `<dataDir>/raft` and will never execute a transaction. This runtime is kept thin: the
 * consensus algorithm itself lives, pure, in src/raft/.
 */
import path from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import type { NodeConfig } from '../config/types.js';
import { createLogger } from '../log/logger.js';
import type { ControlReply, ControlRequest } from '../node/thread-messages.js';
import { openRaftStorage } from './raft-storage.js';

export interface RaftThreadData {
  config: NodeConfig;
}

export async function runRaftThread(port: MessagePort, data: RaftThreadData): Promise<void> {
  const logger = createLogger({ level: data.config.log.level, component: 'raft' });
  const reply = (message: ControlReply): void => port.postMessage(message);
  let storage: Awaited<ReturnType<typeof openRaftStorage>>;
  try {
    storage = await openRaftStorage(path.join(data.config.node.dataDir, 'raft'));
  } catch (error) {
    reply({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const hardState = storage.loadHardState();
  logger.info('raft storage opened', { term: hardState.term, commit: hardState.commit });
  reply({ type: 'ready' });

  port.on('message', (request: ControlRequest) => {
    if (request.type !== 'stop') return;
    void (async () => {
      await storage.close();
      reply({ type: 'stopped' });
      port.close();
    })();
  });
}
