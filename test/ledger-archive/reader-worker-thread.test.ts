import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { BlockArchive } from '../../src/ledger/archive/block-archive.js';
import type { FollowReply, ReadReply, ReaderCommand } from './fixtures/archive-reader-worker.js';
import { BlockBlobBuilder } from '../../src/ledger/archive/block-blob.js';
import { blobAt, largeBlobAt, temporaryDirectory } from './fixtures/archive-blocks.js';

const segmentBytes = 2048;

async function ask<Reply>(worker: Worker, command: ReaderCommand): Promise<Reply> {
  const replied = once(worker, 'message') as Promise<[Reply]>;
  worker.postMessage(command);
  const [reply] = await replied;
  return reply;
}

interface Reader {
  worker: Worker;
  stop: () => Promise<void>;
}

function startReader(directory: string): Reader {
  // Compiled layout: dist/test/ledger-archive/<this>.js → dist/test/ledger-archive/fixtures/archive-reader-worker.js
  const worker = new Worker(new URL('./fixtures/archive-reader-worker.js', import.meta.url), { workerData: { directory } });
  // Listened for from the start, so a worker that already died on an error is not waited for.
  const exited = once(worker, 'exit').catch(() => undefined);
  return {
    worker,
    stop: async () => {
      worker.postMessage({ kind: 'close' } satisfies ReaderCommand);
      // A reader still spinning in 'follow' (the test failed before the last append) reads no
      // messages: stop it the hard way.
      const timer = setTimeout(() => void worker.terminate(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

test('a reader on a worker thread sees blocks as they are appended, segments made after it opened, and nothing at or past the count', async () => {
  const { directory, remove } = temporaryDirectory('worker-reader');
  const writer = BlockArchive.open(directory, { writer: true, segmentBytes });
  const { worker, stop } = startReader(directory);
  try {
    const empty = await ask<ReadReply>(worker, { kind: 'read' });
    assert.equal(empty.count, 0);
    assert.deepEqual(empty.atCount, { blob: false, blockRecord: false, transactionRecord: false });

    for (let height = 0n; height < 4n; height += 1n) writer.append(height, blobAt(height));
    const four = await ask<ReadReply>(worker, { kind: 'read' });
    assert.equal(four.count, 4);
    four.blobs.forEach((blob, height) => assert.deepEqual(blob, blobAt(BigInt(height))));
    assert.deepEqual(four.atCount, { blob: false, blockRecord: false, transactionRecord: false });

    for (let height = 4n; height < 25n; height += 1n) writer.append(height, blobAt(height));
    const twentyFive = await ask<ReadReply>(worker, { kind: 'read' });
    assert.equal(twentyFive.count, 25);
    twentyFive.blobs.forEach((blob, height) => assert.deepEqual(blob, blobAt(BigInt(height))));
    assert.deepEqual(twentyFive.atCount, { blob: false, blockRecord: false, transactionRecord: false });
  } finally {
    await stop();
    writer.close();
    remove();
  }
});

test('a reader on a worker thread polling while the writer appends only ever sees whole blocks', async () => {
  const { directory, remove } = temporaryDirectory('worker-follow');
  const writer = BlockArchive.open(directory, { writer: true, segmentBytes: 4 * 1024 * 1024 });
  const { worker, stop } = startReader(directory);
  const builder = new BlockBlobBuilder();
  const blockCount = 60n;
  try {
    const followed = ask<FollowReply>(worker, { kind: 'follow', untilCount: Number(blockCount) });
    // Awaited below; handled now so a reader error during the appends is not reported as unhandled.
    followed.catch(() => undefined);
    for (let height = 0n; height < blockCount; height += 1n) {
      writer.append(height, largeBlobAt(builder, height));
      // Yield now and then, so the reader's polling interleaves with appends on a busy machine.
      if (height % 4n === 0n) await new Promise((resolve) => setImmediate(resolve));
    }
    const reply = await followed;
    assert.deepEqual(reply.mismatches, []);
    assert.ok(reply.observations > 0 && reply.distinctCounts > 0, 'the reader polled');
  } finally {
    await stop();
    writer.close();
    remove();
  }
});
