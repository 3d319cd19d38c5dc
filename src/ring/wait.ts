/**
 * Bounded waits on one Int32 word of the ring header: the blocking form for worker threads and
 * the promise form for event-loop threads.
 */
import { invalidArgument } from '../errors.js';

export type WaitOutcome = 'ok' | 'not-equal' | 'timed-out';

type WaitAsyncResult =
  | { async: false; value: 'not-equal' | 'timed-out' }
  | { async: true; value: Promise<'ok' | 'timed-out'> };

// Atomics.waitAsync is in Node 24 (V8) but in TypeScript's ES2024 lib, past this project's ES2023.
const atomicsWithWaitAsync = Atomics as typeof Atomics & {
  waitAsync(typedArray: Int32Array, index: number, value: number, timeoutMs: number): WaitAsyncResult;
};

/** Largest timeout a timer accepts; every ring wait is bounded by at most this. */
export const waitTimeoutMsMax = 2_147_483_647;

/** Every ring wait must be bounded: a finite, non-negative timeout within the timer limit. */
export function checkTimeoutMs(timeoutMs: number): void {
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0 || timeoutMs > waitTimeoutMsMax) {
    throw invalidArgument('timeoutMs', `must be a finite number of milliseconds from 0 to ${waitTimeoutMsMax}, got ${String(timeoutMs)}`);
  }
}

/** Blocks this thread until the word changes from `expected`, a notify, or the timeout. */
export function waitBlocking(words: Int32Array, index: number, expected: number, timeoutMs: number): WaitOutcome {
  return Atomics.wait(words, index, expected, timeoutMs);
}

/**
 * Resolves when the word changes from `expected`, a notify, or the timeout, without blocking the
 * event loop. A pending Atomics.waitAsync does not keep Node's event loop alive, so a process
 * whose only pending work is this wait would exit with the promise unsettled; an ordinary timer a
 * little longer than the wait keeps the loop alive until the wait settles, then is cleared.
 */
export function waitAsync(words: Int32Array, index: number, expected: number, timeoutMs: number): Promise<WaitOutcome> {
  const started = atomicsWithWaitAsync.waitAsync(words, index, expected, timeoutMs);
  if (!started.async) return Promise.resolve(started.value);
  const keepLoopAlive = setTimeout(() => {}, Math.min(waitTimeoutMsMax, Math.ceil(timeoutMs) + 1_000));
  return started.value.finally(() => clearTimeout(keepLoopAlive));
}
