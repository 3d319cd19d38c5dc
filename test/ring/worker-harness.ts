/**
 * Starting ring fixture workers and talking to them with bounded waits, so a stuck ring fails
 * the test with a message instead of hanging it.
 */
import { Worker } from 'node:worker_threads';
import type { RingCommand, RingReply } from '../fixtures/ring/commanded-ring-worker.js';

export type FixtureName = 'sequence-producer' | 'sequence-consumer' | 'commanded-ring-worker';

export function startFixture(name: FixtureName, workerData: unknown): Worker {
  // Compiled layout: dist/test/ring/worker-harness.js → dist/test/fixtures/ring/<name>.js
  return new Worker(new URL(`../fixtures/ring/${name}.js`, import.meta.url), { workerData });
}

/** The next message `worker` posts that `accept` takes; rejects on error, exit or timeout. */
export function awaitMessage<T>(
  worker: Worker,
  accept: (message: unknown) => message is T,
  what: string,
  timeoutMs: number,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (message: unknown): void => {
      if (!accept(message)) return;
      cleanup();
      resolve(message);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new Error(`worker failed while waiting for ${what}: ${error.message}`));
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`worker exited with code ${code} while waiting for ${what}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

export function isDone<T extends { type: 'done' }>(message: unknown): message is T {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'done';
}

let nextCommandId = 1;

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** Sends one command to a commanded-ring-worker and waits (bounded) for its reply. */
export async function command<T extends RingReply['type']>(
  worker: Worker,
  request: WithoutId<RingCommand>,
  expected: T,
  timeoutMs: number,
): Promise<Extract<RingReply, { type: T }>> {
  const id = nextCommandId++;
  const reply = awaitMessage(
    worker,
    (message: unknown): message is Extract<RingReply, { type: T }> =>
      typeof message === 'object' && message !== null && (message as { id?: unknown }).id === id,
    `reply to '${request.type}'`,
    timeoutMs,
  );
  worker.postMessage({ ...request, id });
  const received = await reply;
  if (received.type !== expected) throw new Error(`expected a '${expected}' reply to '${request.type}', got '${received.type}'`);
  return received;
}

/** Stops every worker a test started, whatever state it is in. */
export async function terminateAll(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((worker) => worker.terminate()));
}

/** Polls `condition` on the event loop until it holds; rejects after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const pollIntervalMs = 2;
  for (let waitedMs = 0; !condition(); waitedMs += pollIntervalMs) {
    if (waitedMs >= timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}
