import * as grpc from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import type { NodeConfig } from '../config/types.js';
import { assert, unavailable } from '../errors.js';
import { serverOptionsFrom } from './options.js';
import { createReflectionService } from './reflection.js';

/** One of our services, ready to add to the server. */
export interface HostedService {
  /** Fully qualified name, e.g. `aurigraph.v11.CryptoService`. */
  name: string;
  definition: grpc.ServiceDefinition;
  handlers: grpc.UntypedServiceImplementation;
}

export interface RunningGrpcServer {
  port: number;
  /** Sets the health status of the whole server ('') and of every hosted service. */
  setServing(status: ServingStatus): void;
  /**
   * Stops accepting new calls, lets calls in flight finish for up to `graceMs`, then cancels
   * the rest. Resolves when the listening socket is closed.
   */
  drain(graceMs: number): Promise<void>;
}

/**
 * Hosts the node's gRPC API on one port: our services, standard health checking
 * (`grpc.health.v1`, per service and for the server as '') and server reflection.
 */
export async function startGrpcServer(
  grpcConfig: NodeConfig['grpc'],
  services: readonly HostedService[],
): Promise<RunningGrpcServer> {
  const server = new grpc.Server(serverOptionsFrom(grpcConfig));
  const names = services.map((service) => service.name);
  assert(new Set(names).size === names.length, 'each service is hosted once');

  const health = new HealthImplementation({ '': 'NOT_SERVING' });
  for (const name of names) health.setStatus(name, 'NOT_SERVING');
  health.addToServer(server);
  createReflectionService(names).addToServer(server);
  for (const service of services) server.addService(service.definition, service.handlers);

  const host = grpcConfig.host.includes(':') ? `[${grpcConfig.host}]` : grpcConfig.host;
  const port = await bind(server, `${host}:${grpcConfig.port}`);
  return {
    port,
    setServing(status) {
      health.setStatus('', status);
      for (const name of names) health.setStatus(name, status);
    },
    async drain(graceMs) {
      health.setStatus('', 'NOT_SERVING');
      for (const name of names) health.setStatus(name, 'NOT_SERVING');
      await shutdownWithGrace(server, graceMs);
    },
  };
}

function bind(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) => {
      if (error) {
        reject(unavailable(`gRPC server cannot listen on ${address}: ${error.message}`));
        return;
      }
      resolve(port);
    });
  });
}

function shutdownWithGrace(server: grpc.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const forceTimer = setTimeout(() => server.forceShutdown(), graceMs);
    server.tryShutdown(() => {
      clearTimeout(forceTimer);
      resolve();
    });
  });
}
