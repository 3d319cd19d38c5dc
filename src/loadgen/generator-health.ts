import type { Histogram } from './latency-histogram.js';
import type { GeneratorHealth } from './run-result.js';

export interface SendLagCounters {
  readonly sendCount: number;
  readonly lateSendCount: number;
  readonly lateSendsHeldByInFlightLimit: number;
}

/**
 * Judges from the send-lag histogram whether an open-loop generator kept its schedule. The 99th
 * percentile, not the maximum, decides, so one garbage-collection pause does not condemn a run;
 * the maximum is still reported.
 */
export function assessGenerator(sendLag: Histogram, counters: SendLagCounters, lagThresholdMs: number): GeneratorHealth {
  const sendLagP99Us = sendLag.totalCount > 0 ? sendLag.getValueAtPercentile(99) : 0;
  const sendLagMaxUs = sendLag.totalCount > 0 ? sendLag.maxValue : 0;
  const cannotKeepUp = sendLagP99Us > lagThresholdMs * 1000;
  let reason: GeneratorHealth['reason'] = 'none';
  if (cannotKeepUp) {
    reason = counters.lateSendsHeldByInFlightLimit * 2 >= counters.lateSendCount ? 'in-flight-limit' : 'generator-busy';
  }
  return { lagThresholdMs, ...counters, sendLagP99Us, sendLagMaxUs, cannotKeepUp, reason };
}
