/**
 * The small control protocol between the main (supervisor) thread and the node's other
 * threads. Hot-path hand-offs do not use it: they go through the shard rings.
 */
import type { Worker } from 'node:worker_threads';
import { assert } from '../errors.js';

export type ControlRequest =
  | { type: 'drain'; graceMs: number }
  | { type: 'stop' }
  /** To the Raft thread once the port is bound: this node's own address (a single node's leader address). */
  | { type: 'listening'; address: string };

export type ControlReply =
  | { type: 'ready'; port?: number }
  | { type: 'drained' }
  | { type: 'stopped' }
  | { type: 'fatal'; message: string };

export function isControlReply(value: unknown): value is ControlReply {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * Waits for `worker` to post a reply of type `expected`. A `fatal` reply, an exit or an error
 * rejects with the thread's own message, so start-up failures reach the operator intact.
 */
export function waitForReply<T extends ControlReply['type']>(
  worker: Worker,
  expected: T,
  threadName: string,
  timeoutMs: number,
): Promise<Extract<ControlReply, { type: T }>> {
  assert(timeoutMs > 0, 'a wait for a thread is bounded');
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (message: unknown): void => {
      if (!isControlReply(message)) return;
      if (message.type === 'fatal') {
        cleanup();
        reject(new Error(`${threadName} thread: ${message.message}`));
      } else if (message.type === expected) {
        cleanup();
        resolve(message as Extract<ControlReply, { type: T }>);
      }
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new Error(`${threadName} thread failed: ${error.message}`));
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`${threadName} thread exited with code ${code} before '${expected}'`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${threadName} thread did not answer '${expected}' within ${timeoutMs} ms`));
    }, timeoutMs);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
