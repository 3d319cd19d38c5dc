/**
 * A minimal etcd v3 client over gRPC (etcd-kv.proto): Put, and Status to find the leader.
 * The benchmark drives etcd with the same Node.js gRPC stack as Aurigraph, so the client side
 * costs the same for both.
 */
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { repoRoot } from '../../src/paths.js';

/** The .proto stays in the source tree (tsc copies no .proto files). */
const protoPath = path.join(repoRoot, 'bench', 'consensus', 'etcd-kv.proto');

interface EtcdStatus {
  header: { member_id: string };
  leader: string;
}

type Callback<T> = (error: grpc.ServiceError | null, value?: T) => void;

interface KvClient extends grpc.Client {
  Put(request: { key: Buffer; value: Buffer }, options: grpc.CallOptions, callback: Callback<unknown>): void;
}
interface MaintenanceClient extends grpc.Client {
  Status(request: object, options: grpc.CallOptions, callback: Callback<EtcdStatus>): void;
}

function loadPackage(): { KV: grpc.ServiceClientConstructor; Maintenance: grpc.ServiceClientConstructor } {
  const definition = protoLoader.loadSync(protoPath, { keepCase: true, longs: String, defaults: true });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as { etcdserverpb: { KV: grpc.ServiceClientConstructor; Maintenance: grpc.ServiceClientConstructor } };
  return loaded.etcdserverpb;
}

export class EtcdClient {
  private readonly kv: KvClient;
  private readonly maintenance: MaintenanceClient;

  constructor(address: string) {
    const etcd = loadPackage();
    const options = { 'grpc.max_send_message_length': 64 * 1024 * 1024, 'grpc.max_receive_message_length': 64 * 1024 * 1024 };
    this.kv = new etcd.KV(address, grpc.credentials.createInsecure(), options) as unknown as KvClient;
    this.maintenance = new etcd.Maintenance(address, grpc.credentials.createInsecure(), options) as unknown as MaintenanceClient;
  }

  put(key: Buffer, value: Buffer, deadlineMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      this.kv.Put({ key, value }, { deadline: Date.now() + deadlineMs }, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Whether the member answering at this address is the leader. */
  isLeader(deadlineMs = 5_000): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.maintenance.Status({}, { deadline: Date.now() + deadlineMs }, (error, status) =>
        error || status === undefined ? reject(error ?? new Error('no status')) : resolve(status.leader !== '0' && status.leader === status.header.member_id),
      );
    });
  }

  close(): void {
    this.kv.close();
    this.maintenance.close();
  }
}
