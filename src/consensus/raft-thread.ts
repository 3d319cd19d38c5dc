/**
 * The Raft thread: the only thread that orders entries. It owns the durable Raft log in
 * `<dataDir>/raft` and never executes a transaction: committed entries go to the apply side on
 * the main thread. This file only wires ports to the runtime (raft-runtime.ts); the consensus
 * algorithm itself lives, pure, in src/raft/.
 *
 * Ports: `port` (parent) carries control messages (src/node/thread-messages.ts); `applyPort`
 * leads to the apply side (apply-protocol.ts); `acceptorPort` to ConsensusService on the
 * acceptor thread (consensus-port-protocol.ts). The main thread creates both channels.
 */
import path from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import type { NodeConfig } from '../config/types.js';
import { createLogger } from '../log/logger.js';
import type { ControlReply, ControlRequest } from '../node/thread-messages.js';
import { ConsensusEvent } from '../generated/aurigraph.js';
import { ownedBuffer, type ApplyToRaftMessage } from './apply-protocol.js';
import type { AppliedDigest } from './apply-target.js';
import { ConsensusCalls, refusalOf } from './consensus-calls.js';
import { MessageBatcher, forEachMessage, type AcceptorToRaftMessage, type MessageBatch, type RaftToAcceptorMessage } from './consensus-port-protocol.js';
import { LmdbLogStorage } from './lmdb-log-storage.js';
import { PeerDirectory } from './node-ids.js';
import { RaftRuntime } from './raft-runtime.js';

export interface RaftThreadData {
  config: NodeConfig;
  /** The apply side's applied index and digest at start (the log is replayed after them). */
  appliedIndex: number;
  appliedDigest: AppliedDigest | undefined;
  applyPort: MessagePort;
  acceptorPort: MessagePort;
}

export function raftLogDirectory(dataDir: string): string {
  return path.join(dataDir, 'raft');
}

export async function runRaftThread(port: MessagePort, data: RaftThreadData): Promise<void> {
  const logger = createLogger({ level: data.config.log.level, component: 'raft' });
  const reply = (message: ControlReply): void => port.postMessage(message);
  let storage: LmdbLogStorage | undefined;
  let runtime: RaftRuntime;
  const toAcceptor = new MessageBatcher<RaftToAcceptorMessage>(data.acceptorPort);
  try {
    const directory = PeerDirectory.fromConfig(data.config);
    storage = LmdbLogStorage.open({ directory: raftLogDirectory(data.config.node.dataDir), foundingVoters: directory.foundingVoters() });
    runtime = new RaftRuntime({
      config: data.config,
      directory,
      storage,
      appliedIndex: data.appliedIndex,
      appliedDigest: data.appliedDigest,
      applyPort: data.applyPort,
      emitEvent(eventType, event) {
        const bytes = ownedBuffer(ConsensusEvent.encode(event));
        toAcceptor.post({ type: 'event', eventType, event: bytes }, [bytes]);
      },
      logger,
    });
  } catch (error) {
    await storage?.close();
    reply({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
    return;
  }

  const calls = new ConsensusCalls(runtime, toAcceptor, data.config, logger);
  data.acceptorPort.on('message', (received: AcceptorToRaftMessage | MessageBatch<AcceptorToRaftMessage>) =>
    forEachMessage(received, (message) => calls.handle(message)),
  );
  data.applyPort.on('message', (message: ApplyToRaftMessage) => {
    switch (message.type) {
      case 'applied':
        runtime.acknowledgeApplied(message.index, message.digest);
        return;
      case 'snapshot':
        runtime.snapshotTaken(message.index, new Uint8Array(message.data));
        return;
      case 'propose':
        runtime.propose([new Uint8Array(message.data)], 'append', (outcome) => {
          const answer = outcome.ok
            ? { accepted: true as const, index: outcome.value.indexes[0]!, term: outcome.value.term }
            : { accepted: false as const, message: outcome.error.message, ...leaderOf(refusalOf(outcome.error)) };
          data.applyPort.postMessage({ type: 'proposed', requestId: message.requestId, outcome: answer });
        });
        return;
      case 'apply-failed':
        // The main thread stops the node; nothing more may be handed over.
        logger.error('the apply side failed; stopping replication', { reason: message.message });
        runtime.stop();
        return;
    }
  });
  runtime.start();
  reply({ type: 'ready' });

  port.on('message', (request: ControlRequest) => {
    if (request.type === 'listening') {
      runtime.directory.setSelfAddress(request.address);
      return;
    }
    if (request.type !== 'stop') return;
    void (async () => {
      runtime.stop();
      data.acceptorPort.close();
      data.applyPort.close();
      await storage?.close();
      reply({ type: 'stopped' });
      port.close();
    })();
  });
}

function leaderOf(refusal: { leaderId?: string; leaderAddress?: string }): { leaderId?: string; leaderAddress?: string } {
  return refusal.leaderId === undefined || refusal.leaderId === '' ? {} : { leaderId: refusal.leaderId, leaderAddress: refusal.leaderAddress ?? '' };
}
