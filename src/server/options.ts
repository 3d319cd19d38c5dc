import type { ServerOptions } from '@grpc/grpc-js';
import type { NodeConfig } from '../config/types.js';

/** The grpc-js server options that the config's `grpc` section controls. */
export function serverOptionsFrom(grpcConfig: NodeConfig['grpc']): ServerOptions {
  return {
    'grpc.max_receive_message_length': grpcConfig.maxReceiveMessageBytes,
    'grpc.max_send_message_length': grpcConfig.maxSendMessageBytes,
    'grpc.max_concurrent_streams': grpcConfig.maxConcurrentStreams,
    'grpc.keepalive_time_ms': grpcConfig.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': grpcConfig.keepaliveTimeoutMs,
    'grpc.keepalive_permit_without_calls': grpcConfig.keepalivePermitWithoutCalls ? 1 : 0,
  };
}
