import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { LatencyRecorder } from './latency-recorder.js';
import type { Operation } from './operation.js';
import type { EncodedInterval } from './run-result.js';

const ERROR_MESSAGES_KEPT = 5;

export interface BookkeepingOptions {
  readonly startNs: bigint;
  readonly intervalMs: number;
  readonly operationTimeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly onInterval: ((interval: EncodedInterval) => void) | undefined;
}

/** Raised for an operation the generator stopped waiting for. */
export class OperationTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`operation did not complete within operationTimeoutMs (${timeoutMs} ms)`);
    this.name = 'OperationTimeoutError';
  }
}

/**
 * What both schedulers share: invoking an operation under a timeout, recording its outcome,
 * counting what is in flight, closing intervals on a timer and stopping on request. Every
 * operation ends within `operationTimeoutMs`, which is what bounds a run that waits for them.
 */
export class RunBookkeeping {
  readonly recorder: LatencyRecorder;
  readonly stop = new AbortController();
  sentCount = 0;
  completedCount = 0;
  timeoutCount = 0;
  readonly errorMessages: string[] = [];
  private inFlightCount = 0;
  private inFlightWaiters: Array<() => void> = [];
  private readonly ticker: NodeJS.Timeout;
  private readonly operationTimeoutMs: number;
  private readonly detachCallerSignal: () => void;

  constructor(options: BookkeepingOptions) {
    this.recorder = new LatencyRecorder({ startNs: options.startNs, intervalMs: options.intervalMs, onInterval: options.onInterval });
    this.operationTimeoutMs = options.operationTimeoutMs;
    this.ticker = setInterval(() => this.recorder.rollTo(process.hrtime.bigint()), options.intervalMs);
    const callerSignal = options.signal;
    const onCallerAbort = () => this.stop.abort(callerSignal?.reason);
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    if (callerSignal?.aborted) this.stop.abort(callerSignal.reason);
    this.detachCallerSignal = () => callerSignal?.removeEventListener('abort', onCallerAbort);
    // A scheduler waiting for a free slot must notice a stop at once, not at the next completion.
    this.stop.signal.addEventListener('abort', () => this.wakeInFlightWaiters(), { once: true });
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  get stopped(): boolean {
    return this.stop.signal.aborted;
  }

  /**
   * Starts one operation now and resolves (never rejects) when it has been recorded. `sentNs` is
   * read here, just before the call, so that generator delays before this point count as lag.
   */
  invoke(operation: Operation, index: number, intendedStartNs: bigint, sentNs: bigint): Promise<void> {
    this.inFlightCount += 1;
    this.sentCount += 1;
    const perOperation = new AbortController();
    const onStop = () => perOperation.abort(this.stop.signal.reason);
    this.stop.signal.addEventListener('abort', onStop, { once: true });
    return new Promise<void>((resolve) => {
      let settled = false;
      const settle = (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timeout);
        this.stop.signal.removeEventListener('abort', onStop);
        const completedNs = process.hrtime.bigint();
        if (error === undefined) {
          this.completedCount += 1;
          this.recorder.recordOperation({ intendedStartNs, sentNs, completedNs });
        } else {
          this.recorder.recordError(completedNs);
          this.noteError(error);
        }
        this.inFlightCount -= 1;
        this.wakeInFlightWaiters();
        resolve();
      };
      const timeout = setTimeout(() => {
        this.timeoutCount += 1;
        const error = new OperationTimeoutError(this.operationTimeoutMs);
        perOperation.abort(error);
        settle(error);
      }, this.operationTimeoutMs);
      let outcome: Promise<unknown>;
      try {
        outcome = Promise.resolve(operation({ index, signal: perOperation.signal }));
      } catch (error) {
        outcome = Promise.reject(error);
      }
      outcome.then(
        () => settle(undefined),
        (error: unknown) => settle(error ?? new Error('operation rejected without a reason')),
      );
    });
  }

  /** Resolves when an operation in flight completes (or the run is stopped). */
  waitForInFlightChange(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.inFlightWaiters.push(resolve));
  }

  /** Waits for every operation in flight; bounded because each one is bounded by its timeout. */
  async drain(): Promise<void> {
    while (this.inFlightCount > 0) {
      await new Promise<void>((resolve) => this.inFlightWaiters.push(resolve));
    }
  }

  /** Lets completions, timers and I/O run between bursts of sends. */
  async yieldToEventLoop(): Promise<void> {
    await yieldToEventLoop();
  }

  finish(): readonly EncodedInterval[] {
    clearInterval(this.ticker);
    this.detachCallerSignal();
    this.wakeInFlightWaiters();
    return this.recorder.finish(process.hrtime.bigint());
  }

  private wakeInFlightWaiters(): void {
    const waiters = this.inFlightWaiters;
    this.inFlightWaiters = [];
    for (const wake of waiters) wake();
  }

  private noteError(error: unknown): void {
    if (this.errorMessages.length >= ERROR_MESSAGES_KEPT) return;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (!this.errorMessages.includes(message)) this.errorMessages.push(message);
  }
}

/**
 * Sleeps until `targetNs` on the hrtime clock, or until the signal aborts. Timers have
 * millisecond granularity, so this rounds up: a send is never early, and the up-to-a-millisecond
 * lateness shows in the send lag (and honestly in corrected latency).
 */
export function sleepUntilNs(targetNs: bigint, signal: AbortSignal): Promise<void> {
  const remainingNs = targetNs - process.hrtime.bigint();
  if (remainingNs <= 0n || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', wake);
      resolve();
    };
    const timer = setTimeout(wake, Math.ceil(Number(remainingNs) / 1e6));
    signal.addEventListener('abort', wake, { once: true });
  });
}
