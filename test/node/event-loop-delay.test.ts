/**
 * A thread's event-loop delay as the main thread reads it (src/node/event-loop-delay.ts), on a
 * real worker thread that stalls its own loop. The bounds asserted are lower bounds a stall of
 * known length guarantees, so a loaded machine cannot make them fail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { eventLoopDelayChannel, type EventLoopDelayReader } from '../../src/node/event-loop-delay.js';
import type { LoopBlockerRequest } from './fixtures/loop-blocker.js';

function startBlocker(): { worker: Worker; reader: EventLoopDelayReader } {
  const { reader, threadPort } = eventLoopDelayChannel();
  const worker = new Worker(new URL('./fixtures/loop-blocker.js', import.meta.url), { workerData: { eventLoopDelayPort: threadPort }, transferList: [threadPort] });
  return { worker, reader };
}

const post = (worker: Worker, request: LoopBlockerRequest) => worker.postMessage(request);

async function stopBlocker(worker: Worker): Promise<void> {
  const exited = once(worker, 'exit');
  post(worker, { type: 'close' });
  // Neither the measuring timer nor the measuring channel may keep a thread alive.
  const timer = setTimeout(() => void worker.terminate(), 10_000);
  const [code] = (await exited) as [number];
  clearTimeout(timer);
  assert.equal(code, 0, 'the thread ended by itself, not by terminate()');
}

test('a stall that has just ended counts in the period of the question that follows it', async () => {
  const { worker, reader } = startBlocker();
  try {
    await once(worker, 'online');
    // Starts a period; a thread this young may not have ticked yet, so its figures may be null.
    assert.ok((await reader.read(10_000)) !== undefined, 'an idle thread answers');

    const blocked = once(worker, 'message');
    post(worker, { type: 'block', ms: 300, ack: true });
    await blocked;
    const after = await reader.read(10_000);
    assert.ok(after !== undefined && after.maxMs !== null && after.p99Ms !== null, 'the stalled thread answers afterwards');
    // The loop stood still for 300 ms, so its 10 ms timer was at least 290 ms late.
    assert.ok(after.maxMs >= 290, `max delay ${after.maxMs} ms after a 300 ms stall`);
    assert.ok(after.maxMs >= after.p99Ms);
  } finally {
    await stopBlocker(worker);
  }
});

test('an answer that misses its wait is folded into the next reading, not lost', async () => {
  const { worker, reader } = startBlocker();
  try {
    await once(worker, 'online');
    // The stall comes first in the thread's queue, so the question waits behind it.
    post(worker, { type: 'block', ms: 400, ack: false });
    assert.equal(await reader.read(50), undefined, 'a thread stalled past the wait gives no reading');
    const next = await reader.read(10_000);
    assert.ok(next !== undefined && next.maxMs !== null);
    assert.ok(next.maxMs >= 390, `the 400 ms stall is in the next reading: max ${next.maxMs} ms`);
  } finally {
    await stopBlocker(worker);
  }
});
