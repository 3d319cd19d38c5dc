/**
 * Event-loop delay of one thread: how late a 10 ms timer fires, recorded in a perf_hooks
 * histogram. A thread that runs long synchronous work (a large batch decoded in one go, an
 * fsync on the loop) shows here before it shows in client latency.
 *
 * Not `monitorEventLoopDelay`: its reset also forgets when the timer last fired, so the interval
 * in progress at a reset is recorded in no period. The question about a busy thread arrives
 * during a stall and is answered as the stall ends, before the timer fires, so the stall is what
 * that histogram would lose. The timer here keeps its own clock across resets, and a read counts
 * the interval in progress. Cost: one timer callback every 10 ms per measured thread.
 *
 * Each thread measures its own loop. The main thread asks the acceptor and Raft threads over a
 * MessageChannel of their own (given in workerData), not the control protocol: neither end of it
 * keeps a thread alive, so a thread that fails at start or has stopped still exits as before.
 * Each answer covers the time since the previous question. Piscina's shard workers are not
 * asked: their loop runs one task at a time, so a delay there is a task's length, and their
 * utilization says more.
 */
import { createHistogram } from 'node:perf_hooks';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { assert } from '../errors.js';

/** Period of the measuring timer; a delay is how much later than this the timer fired. */
export const EVENT_LOOP_RESOLUTION_MS = 10;
const resolutionNs = BigInt(EVENT_LOOP_RESOLUTION_MS * 1_000_000);

export interface EventLoopDelay {
  /** Milliseconds; null when nothing was recorded in the period. */
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
}

export interface EventLoopDelayMonitor {
  /** The delay since the previous read (or the start), then starts a new period. */
  read(): EventLoopDelay;
  stop(): void;
}

/** Measures the calling thread's event loop; the timer does not keep the thread alive. */
export function monitorThreadEventLoop(): EventLoopDelayMonitor {
  const histogram = createHistogram();
  let lastTickNs = process.hrtime.bigint();
  // A histogram value is at least 1 (ns): an on-time tick records 1.
  const record = (lateNs: bigint) => histogram.record(lateNs > 0n ? lateNs : 1n);
  const timer = setInterval(() => {
    const nowNs = process.hrtime.bigint();
    record(nowNs - lastTickNs - resolutionNs);
    lastTickNs = nowNs;
  }, EVENT_LOOP_RESOLUTION_MS);
  timer.unref();
  return {
    read() {
      // The interval in progress: a stall that just ended, whose tick has not run yet.
      const nowNs = process.hrtime.bigint();
      const inProgressNs = nowNs - lastTickNs - resolutionNs;
      if (inProgressNs > 0n) {
        record(inProgressNs);
        lastTickNs = nowNs;
      }
      const reading = histogram.count > 0 ? { p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6 } : { p99Ms: null, maxMs: null };
      histogram.reset();
      return reading;
    },
    stop: () => clearInterval(timer),
  };
}

/** The questions and answers on a thread's event-loop channel. */
type DelayRequest = { readonly id: number };
type DelayReply = { readonly id: number } & EventLoopDelay;

/** What a measured thread finds in its workerData. */
export interface EventLoopDelayThreadData {
  readonly eventLoopDelayPort: MessagePort;
}

/** A channel for one thread: `reader` stays on the main thread, `threadPort` goes in workerData (and its transferList). */
export function eventLoopDelayChannel(): { reader: EventLoopDelayReader; threadPort: MessagePort } {
  const channel = new MessageChannel();
  return { reader: new EventLoopDelayReader(channel.port1), threadPort: channel.port2 };
}

/**
 * In a worker thread: measures the thread's loop and answers the main thread's questions on
 * `port` (from workerData). The port does not keep the thread alive.
 */
export function answerEventLoopDelayRequests(port: MessagePort): void {
  const monitor = monitorThreadEventLoop();
  port.on('message', (request: DelayRequest) => {
    port.postMessage({ id: request.id, ...monitor.read() } satisfies DelayReply);
  });
  port.unref();
}

const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

function combine(a: EventLoopDelay | undefined, b: EventLoopDelay): EventLoopDelay {
  return a === undefined ? b : { p99Ms: maxOf(a.p99Ms, b.p99Ms), maxMs: maxOf(a.maxMs, b.maxMs) };
}

/**
 * The main thread's end of one thread's channel. An answer that comes after its wait ended is
 * not lost: it is folded into the next reading (the worse of the two), because a thread too busy
 * to answer in time is the one whose delay matters.
 */
export class EventLoopDelayReader {
  #nextId = 1;
  #late: EventLoopDelay | undefined;
  #waiting: { id: number; resolve: (reading: EventLoopDelay) => void } | undefined;

  constructor(private readonly port: MessagePort) {
    port.on('message', (message: DelayReply) => {
      const reading = { p99Ms: message.p99Ms, maxMs: message.maxMs };
      if (this.#waiting?.id === message.id) this.#waiting.resolve(reading);
      else this.#late = combine(this.#late, reading);
    });
    port.unref();
  }

  /** The delay since the previous read; undefined when the thread did not answer in `timeoutMs`. */
  async read(timeoutMs: number): Promise<EventLoopDelay | undefined> {
    assert(timeoutMs > 0 && this.#waiting === undefined, 'one bounded read at a time');
    const id = this.#nextId++;
    let timer: NodeJS.Timeout | undefined;
    const answer = await new Promise<EventLoopDelay | undefined>((resolve) => {
      this.#waiting = { id, resolve };
      timer = setTimeout(() => resolve(undefined), timeoutMs);
      this.port.postMessage({ id } satisfies DelayRequest);
    });
    clearTimeout(timer);
    this.#waiting = undefined;
    const late = this.#late;
    this.#late = undefined;
    if (answer === undefined) {
      // Kept for the next read, which covers this period too.
      this.#late = late;
      return undefined;
    }
    return combine(late, answer);
  }

  close(): void {
    this.port.close();
  }
}
