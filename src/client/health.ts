/** A client for the standard gRPC health service (`grpc.health.v1.Health`). */
import * as grpc from '@grpc/grpc-js';
import { service as healthServiceDefinition, type ServingStatus } from 'grpc-health-check';

export type HealthStatus = ServingStatus | 'SERVICE_UNKNOWN';

export interface HealthClient {
  /** The status of `service` ('' is the server as a whole); NOT_FOUND becomes SERVICE_UNKNOWN. */
  check(service?: string, options?: { deadlineMs?: number }): Promise<HealthStatus>;
}

export function bindHealth(client: grpc.Client, deadlineMsDefault: number): HealthClient {
  const check = healthServiceDefinition['Check'];
  if (!check) throw new Error('grpc-health-check no longer defines Check');
  return {
    check(service = '', options) {
      return new Promise((resolve, reject) => {
        client.makeUnaryRequest(
          check.path,
          check.requestSerialize,
          check.responseDeserialize,
          { service },
          new grpc.Metadata(),
          { deadline: Date.now() + (options?.deadlineMs ?? deadlineMsDefault) },
          (error, response) => {
            if (error?.code === grpc.status.NOT_FOUND) resolve('SERVICE_UNKNOWN');
            else if (error) reject(error);
            else resolve((response as { status: ServingStatus }).status);
          },
        );
      });
    },
  };
}
