import { createRequire } from 'node:module';
import path from 'node:path';
import { readdirSync } from 'node:fs';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { protoDir } from '../paths.js';
import { withProtocMapEntryNames } from './descriptor-fix.js';

const require = createRequire(import.meta.url);

/** The health proto that grpc-health-check ships, so reflection can describe it too. */
function healthProtoPath(): string {
  const packageJson = require.resolve('grpc-health-check/package.json');
  return path.join(path.dirname(packageJson), 'proto', 'health', 'v1', 'health.proto');
}

function listProtoFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.proto'))
    .sort();
}

/**
 * Server reflection for the services this node registered (and health), so grpcurl and any
 * generated client can list and describe them. It reads proto/ at start, which is the same
 * source the generated code comes from (the drift test keeps them equal).
 */
export function createReflectionService(exposedServiceNames: readonly string[]): ReflectionService {
  const healthProto = healthProtoPath();
  const packageDefinition = protoLoader.loadSync(
    [...listProtoFiles(protoDir), path.basename(healthProto)],
    {
      includeDirs: [protoDir, path.dirname(healthProto)],
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    },
  );
  return new ReflectionService(withProtocMapEntryNames(packageDefinition), {
    services: [...exposedServiceNames, 'grpc.health.v1.Health'],
  });
}
