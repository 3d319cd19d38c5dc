/**
 * The pool's task queue: execute-shard tasks (the apply path, one block at a time, in log
 * order) go ahead of queued verify and seal tasks, which feed later entries and can wait.
 * Without it a block's phase 1 queues behind every verification issued before it, and each
 * block after it waits too. Each lane is first in, first out. Lanes stay short: the coordinator
 * runs one verify task per shard, one seal task per sealed batch, and one block at a time.
 */
import type { PiscinaTask, TaskQueue } from 'piscina';

type QueuedTask = Parameters<TaskQueue['push']>[0];

function isApplyTask(task: QueuedTask): boolean {
  return (task as PiscinaTask & { task?: { kind?: unknown } }).task?.kind === 'execute-shard';
}

export class ApplyFirstQueue implements TaskQueue {
  readonly #apply: QueuedTask[] = [];
  readonly #other: QueuedTask[] = [];

  get size(): number {
    return this.#apply.length + this.#other.length;
  }

  push(task: QueuedTask): void {
    (isApplyTask(task) ? this.#apply : this.#other).push(task);
  }

  shift(): QueuedTask | null {
    return this.#apply.shift() ?? this.#other.shift() ?? null;
  }

  remove(task: QueuedTask): void {
    for (const lane of [this.#apply, this.#other]) {
      const index = lane.indexOf(task);
      if (index !== -1) {
        lane.splice(index, 1);
        return;
      }
    }
  }
}
