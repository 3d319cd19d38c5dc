import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApplyFirstQueue } from '../../src/exec/apply-first-queue.js';

type Queued = Parameters<ApplyFirstQueue['push']>[0];
const queued = (kind: string, id: number): Queued => ({ task: { kind, id } }) as unknown as Queued;
const idOf = (task: Queued | null): number => (task as unknown as { task: { id: number } }).task.id;

test('execute-shard tasks leave the pool queue before verify and seal tasks queued earlier, each lane in order', () => {
  const queue = new ApplyFirstQueue();
  queue.push(queued('verify', 1));
  queue.push(queued('seal-batch', 2));
  queue.push(queued('execute-shard', 3));
  queue.push(queued('verify', 4));
  queue.push(queued('execute-shard', 5));
  assert.equal(queue.size, 5);
  assert.deepEqual([1, 2, 3, 4, 5].map(() => idOf(queue.shift())), [3, 5, 1, 2, 4]);
  assert.equal(queue.shift(), null);
  assert.equal(queue.size, 0);
});

test('a removed task (an aborted one) is not handed out', () => {
  const queue = new ApplyFirstQueue();
  const first = queued('verify', 1);
  queue.push(first);
  queue.push(queued('verify', 2));
  queue.remove(first);
  assert.equal(queue.size, 1);
  assert.equal(idOf(queue.shift()), 2);
});
