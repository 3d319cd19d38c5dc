/**
 * Shard rings: the bounded single-producer / single-consumer hand-off of fixed-size records
 * between the acceptor thread and each shard worker, in one SharedArrayBuffer per shard.
 * See README.md in this folder for what this module owns and may not touch.
 */
export { createRing, ringLayoutFor, readRingLayout, type RingLayout, type RingOptions } from './layout.js';
export { RingProducer, type SpaceWaitResult } from './producer.js';
export { RingConsumer, type DataWaitResult } from './consumer.js';
export { readRingStats, type RingStats } from './stats.js';
export { waitTimeoutMsMax } from './wait.js';
