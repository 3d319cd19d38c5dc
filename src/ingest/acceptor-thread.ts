/**
 * The acceptor thread: hosts the node's one gRPC port. It decodes requests and hands work on;
 * it never executes transactions and never writes ledger state (DESIGN.md, Threads).
 */
import { setDefaultHighWaterMark } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';
import type { NodeConfig } from '../config/types.js';
import { createLogger } from '../log/logger.js';
import { startGrpcServer, type RunningGrpcServer } from '../server/grpc-server.js';
import type { ControlReply, ControlRequest } from '../node/thread-messages.js';
import { openHostedServices } from './hosted-services.js';

export interface AcceptorThreadData {
  config: NodeConfig;
  /** One ring per shard, written by this thread and read by that shard's worker. */
  shardRings: SharedArrayBuffer[];
  /**
   * The coordinator's port (src/pipeline), transferred by the main thread; TransactionService
   * is hosted only when it is given.
   */
  pipelinePort?: MessagePort;
  /** The Raft thread's port for ConsensusService calls, transferred by the main thread. */
  consensusPort?: MessagePort;
}

export async function runAcceptorThread(port: MessagePort, data: AcceptorThreadData): Promise<void> {
  // A grpc-js call is an object-mode stream that keeps reading messages into its buffer until
  // the buffer holds highWaterMark of them, even while paused: 16 by default, i.e. 16 batches
  // of up to batching.maxBatchBytes per stream. One is enough, since a stream is read one batch
  // at a time; past it HTTP/2 flow control holds the client back (DESIGN.md, backpressure).
  setDefaultHighWaterMark(true, 1);
  const logger = createLogger({ level: data.config.log.level, component: 'acceptor' });
  const reply = (message: ControlReply): void => port.postMessage(message);
  let server: RunningGrpcServer;
  let services: Awaited<ReturnType<typeof openHostedServices>> | undefined;
  try {
    services = await openHostedServices(
      data.config,
      logger,
      data.pipelinePort === undefined ? undefined : { shardRings: data.shardRings, pipelinePort: data.pipelinePort },
      data.consensusPort,
    );
    server = await startGrpcServer(data.config.grpc, services.hosted);
  } catch (error) {
    // Release what opened (the keystore above all) before reporting, so the files are closed
    // cleanly even when, say, the port is taken.
    await services?.close().catch(() => undefined);
    reply({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const openServices = services;
  server.setServing('SERVING');
  logger.info('gRPC server listening', {
    host: data.config.grpc.host,
    port: server.port,
    services: openServices.hosted.map((service) => service.name),
  });
  reply({ type: 'ready', port: server.port });

  port.on('message', (request: ControlRequest) => {
    if (request.type !== 'drain') return;
    void (async () => {
      await server.drain(request.graceMs);
      await openServices.close();
      logger.info('gRPC server drained');
      reply({ type: 'drained' });
      port.close();
    })();
  });
}
