/**
 * Child process: a bare grpc-js server hosting only TransactionService.StreamTransactions from
 * RawTransactionServiceDefinition, with the `bench` profile's server options. Each TxBatch read
 * is answered at once with one pre-encoded ReceiptBatch of the same transaction count: the bytes
 * the node would send, but nothing decoded, verified, ordered or stored. It measures the
 * transport alone. Started by grpc-stream.ts.
 */
import * as grpc from '@grpc/grpc-js';
import { runAsChildTask } from '../common/child-task.js';
import { startCpuSampler, type CpuSample } from '../common/cpu-usage.js';
import { loadConfig } from '../../src/config/index.js';
import { serverOptionsFrom } from '../../src/server/options.js';
import { RawTransactionServiceDefinition } from '../../src/wire/index.js';
import { encodeCommittedReceipts } from './batch-shapes.js';

export interface GrpcStreamServerInput {
  transactionsPerBatch: number;
  /** The config profile whose `grpc` section sets the server options. */
  profile: string;
}

export interface GrpcStreamServerReady {
  port: number;
  receiptBatchBytes: number;
  serverOptions: grpc.ServerOptions;
}

export interface GrpcStreamServerResult {
  batchesAnswered: number;
  requestBytes: number;
  streamsOpened: number;
  /** The server process's CPU time, sampled every 100 ms while it ran. */
  cpuSamples: CpuSample[];
}

runAsChildTask<GrpcStreamServerInput, GrpcStreamServerReady, GrpcStreamServerResult>(async (input, context) => {
  const config = loadConfig({ profile: input.profile, env: {} });
  const serverOptions = serverOptionsFrom(config.grpc);
  const receipts = encodeCommittedReceipts(input.transactionsPerBatch);
  const server = new grpc.Server(serverOptions);
  let batchesAnswered = 0;
  let requestBytes = 0;
  let streamsOpened = 0;
  const cpu = startCpuSampler();

  const streamTransactions: grpc.handleBidiStreamingCall<Buffer, Uint8Array> = (call) => {
    streamsOpened += 1;
    call.on('data', (batch: Buffer) => {
      requestBytes += batch.length;
      call.write(receipts);
      batchesAnswered += 1;
    });
    call.on('end', () => call.end());
    // A client that cancels its stream at the end of a run is not an error here.
    call.on('error', () => undefined);
  };
  const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: 'the raw gRPC limit server hosts StreamTransactions only' });
  server.addService(RawTransactionServiceDefinition, {
    streamTransactions,
    submitTransaction: unimplemented,
    submitBatch: unimplemented,
    getTransaction: unimplemented,
    getReceipt: unimplemented,
    getAccount: unimplemented,
    getBlock: unimplemented,
    registerAccountKey: unimplemented,
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  context.reportReady({ port, receiptBatchBytes: receipts.length, serverOptions });
  await new Promise<void>((resolve) => {
    if (context.stopSignal.aborted) resolve();
    else context.stopSignal.addEventListener('abort', () => resolve(), { once: true });
  });
  cpu.stop();
  server.forceShutdown();
  return { batchesAnswered, requestBytes, streamsOpened, cpuSamples: [...cpu.samples] };
});
