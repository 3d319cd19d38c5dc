import type { EventEmitter } from 'node:events';

/**
 * Resolves at the first of `drain`, `close` or `cancelled` on a server stream, and then removes
 * all three listeners. A stream waits here once per full write buffer, so listeners left behind
 * (as a `Promise.race` of `events.once` leaves them) pile up for the stream's whole life and hold
 * memory: measured, a 10-minute soak grew the acceptor's heap until its cap killed the node.
 */
export function drainedOrClosed(stream: EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const settle = (): void => {
      stream.off('drain', settle);
      stream.off('close', settle);
      stream.off('cancelled', settle);
      resolve();
    };
    stream.on('drain', settle);
    stream.on('close', settle);
    stream.on('cancelled', settle);
  });
}
