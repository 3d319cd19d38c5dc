import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { drainedOrClosed } from '../../src/ingest/drained-or-closed.js';

test('waiting for drain many times on one stream leaves no listener behind', async () => {
  const stream = new EventEmitter();
  for (let wait = 0; wait < 1_000; wait++) {
    const drained = drainedOrClosed(stream);
    stream.emit('drain');
    await drained;
  }
  for (const event of ['drain', 'close', 'cancelled']) assert.equal(stream.listenerCount(event), 0, `${event} listeners left`);
});

test('a stream that closes or is cancelled while a write waits ends the wait, and leaves no listener', async () => {
  for (const event of ['close', 'cancelled']) {
    const stream = new EventEmitter();
    const waited = drainedOrClosed(stream);
    stream.emit(event);
    await waited;
    for (const name of ['drain', 'close', 'cancelled']) assert.equal(stream.listenerCount(name), 0, `${name} listeners left after ${event}`);
  }
});
