import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { startNodeProcess } from '../helpers/node-process.js';

test('one connection carries at least 100 concurrent streams (grpc.maxConcurrentStreams from config)', async () => {
  const streamCount = 150;
  const node = await startNodeProcess({ args: ['--set', `grpc.maxConcurrentStreams=${streamCount + 10}`] });
  const client = new grpc.Client(node.address, grpc.credentials.createInsecure());
  const watch = healthService['Watch'];
  assert.ok(watch);
  const calls: grpc.ClientReadableStream<unknown>[] = [];
  try {
    // Each Watch is a server stream that stays open after its first message, so all of them
    // are open at once on this one channel when the last first-message arrives.
    const firstMessages = Array.from({ length: streamCount }, () => {
      const call = client.makeServerStreamRequest(
        watch.path,
        watch.requestSerialize,
        watch.responseDeserialize,
        { service: '' },
        new grpc.Metadata(),
        { deadline: Date.now() + 20_000 },
      );
      calls.push(call);
      return new Promise<unknown>((resolve, reject) => {
        call.once('data', resolve);
        call.once('error', reject);
      });
    });
    const statuses = await Promise.all(firstMessages);
    assert.equal(statuses.length, streamCount);
    for (const status of statuses) assert.deepEqual(status, { status: 'SERVING' });
  } finally {
    for (const call of calls) call.cancel();
    client.close();
    await node.stop('SIGTERM');
    node.cleanup();
  }
});
