/**
 * The typed client's own behaviour: each call shape, deadlines, retries of idempotent reads
 * and not of writes. The server here is a scripted fixture standing in for a node, so that the
 * test controls failures exactly; the client talks to it over real gRPC on loopback.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { createClient } from '../../src/client/index.js';
import {
  BroadcastMessageResponse,
  ConsensusServiceDefinition,
  GetPeerListResponse,
  InstallSnapshotResponse,
  NetworkEvent,
  NetworkServiceDefinition,
  ReceiptBatch,
  TransactionServiceDefinition,
  TxBatch,
  InstallSnapshotChunk,
} from '../../src/generated/aurigraph.js';

interface Script {
  peerListFailuresLeft: number;
  peerListCalls: number;
  broadcastCalls: number;
  slowPeerListMs: number;
}

async function startFixtureServer(script: Script) {
  const server = new grpc.Server();
  const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: 'fixture' });
  server.addService(NetworkServiceDefinition, {
    getPeerList: (_call: unknown, callback: grpc.sendUnaryData<GetPeerListResponse>) => {
      script.peerListCalls++;
      if (script.peerListFailuresLeft > 0) {
        script.peerListFailuresLeft--;
        callback({ code: grpc.status.UNAVAILABLE, details: 'fixture: try again' });
        return;
      }
      setTimeout(() => callback(null, GetPeerListResponse.create({ selfId: 'fixture-node' })), script.slowPeerListMs);
    },
    broadcastMessage: (_call: unknown, callback: grpc.sendUnaryData<BroadcastMessageResponse>) => {
      script.broadcastCalls++;
      callback({ code: grpc.status.UNAVAILABLE, details: 'fixture: try again' });
    },
    sendDirectMessage: unimplemented,
    streamNetworkEvents: (call: grpc.ServerWritableStream<unknown, NetworkEvent>) => {
      for (let sequence = 1n; sequence <= 5n; sequence++) call.write(NetworkEvent.create({ sequence, peerId: 'p' }));
      call.end();
    },
  });
  server.addService(ConsensusServiceDefinition, {
    installSnapshot: (
      call: grpc.ServerReadableStream<InstallSnapshotChunk, InstallSnapshotResponse>,
      callback: grpc.sendUnaryData<InstallSnapshotResponse>,
    ) => {
      let bytesReceived = 0n;
      call.on('data', (chunk: InstallSnapshotChunk) => {
        bytesReceived += BigInt(chunk.data.length);
      });
      call.on('end', () => callback(null, InstallSnapshotResponse.create({ bytesReceived, installed: true })));
    },
  });
  server.addService(TransactionServiceDefinition, {
    streamTransactions: (call: grpc.ServerDuplexStream<TxBatch, ReceiptBatch>) => {
      call.on('data', (batch: TxBatch) => call.write(ReceiptBatch.create({ batchId: batch.batchId })));
      call.on('end', () => call.end());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return { address: `127.0.0.1:${port}`, stop: () => server.forceShutdown() };
}

const freshScript = (): Script => ({ peerListFailuresLeft: 0, peerListCalls: 0, broadcastCalls: 0, slowPeerListMs: 0 });

test('unary, server-stream, client-stream and bidi calls all work over one channel', async () => {
  const fixture = await startFixtureServer(freshScript());
  const client = createClient(fixture.address);
  try {
    assert.equal((await client.network.getPeerList({})).selfId, 'fixture-node');

    const sequences: bigint[] = [];
    for await (const event of client.network.streamNetworkEvents({ types: [], topics: [] })) sequences.push(event.sequence);
    assert.deepEqual(sequences, [1n, 2n, 3n, 4n, 5n]);

    const chunks = [1, 2, 3].map((size) => InstallSnapshotChunk.create({ data: new Uint8Array(size * 1000) }));
    const installed = await client.consensus.installSnapshot(chunks);
    assert.equal(installed.bytesReceived, 6000n);

    const stream = client.transaction.streamTransactions();
    for (const batchId of [7n, 8n, 9n]) await stream.write(TxBatch.create({ batchId }));
    stream.end();
    const receipts: bigint[] = [];
    for await (const receiptBatch of stream) receipts.push(receiptBatch.batchId);
    assert.deepEqual(receipts, [7n, 8n, 9n]);
  } finally {
    client.close();
    fixture.stop();
  }
});

test('an idempotent read is retried on UNAVAILABLE; a write is not', async () => {
  const script = freshScript();
  script.peerListFailuresLeft = 2;
  const fixture = await startFixtureServer(script);
  const client = createClient(fixture.address, { readAttemptsMax: 3, retryBackoffMs: 10 });
  try {
    assert.equal((await client.network.getPeerList({})).selfId, 'fixture-node');
    assert.equal(script.peerListCalls, 3);

    await assert.rejects(client.network.broadcastMessage({ topic: 't', payload: new Uint8Array(1) }), {
      code: grpc.status.UNAVAILABLE,
    });
    assert.equal(script.broadcastCalls, 1, 'a write is sent once');

    script.peerListFailuresLeft = 5;
    script.peerListCalls = 0;
    await assert.rejects(client.network.getPeerList({}), { code: grpc.status.UNAVAILABLE });
    assert.equal(script.peerListCalls, 3, 'retries stop at readAttemptsMax');
  } finally {
    client.close();
    fixture.stop();
  }
});

test('unary calls carry the default deadline, and a call may set its own', async () => {
  const script = freshScript();
  script.slowPeerListMs = 2_000;
  const fixture = await startFixtureServer(script);
  const client = createClient(fixture.address, { deadlineMs: 200 });
  try {
    await assert.rejects(client.network.getPeerList({}), { code: grpc.status.DEADLINE_EXCEEDED });
    script.slowPeerListMs = 300;
    assert.equal((await client.network.getPeerList({}, { deadlineMs: 5_000 })).selfId, 'fixture-node');
  } finally {
    client.close();
    fixture.stop();
  }
});
