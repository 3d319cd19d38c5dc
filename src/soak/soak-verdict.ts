/**
 * The soak's verdict from what it observed: PASS only when every invariant held.
 *
 *   receipts   every transaction sent got exactly one receipt (none missing, none duplicated,
 *              none naming a batch or index that was not sent)
 *   outcomes   every transaction COMMITTED: the workload is valid by construction (funded
 *              senders, sequential nonces, registered keys), so a REJECTED or FAILED one is a bug
 *   batches    no batch failed or timed out, no stream broke
 *   balances   at every checkpoint and at the end, the workload accounts plus the fee account
 *              hold exactly the genesis total
 *   memory     the node's private memory is not growing (memory-trend.ts)
 *   node       no node the soak started exited
 * An inconclusive memory check (node not on this machine, or too few samples) is reported as a
 * warning, as is a generator that could not keep its schedule.
 */
import type { ReceiptAudit } from '../loadgen/transactions/receipt-tally.js';
import type { MemoryTrend } from './memory-trend.js';

export interface BalanceCheckpoint {
  readonly index: number;
  readonly elapsedSec: number;
  readonly height: string;
  readonly total: string;
  readonly expected: string;
  readonly consistent: boolean;
}

export interface SoakObservations {
  readonly audit: ReceiptAudit;
  readonly batchErrors: number;
  readonly batchErrorMessages: readonly string[];
  readonly streamFailures: readonly string[];
  /** Balance checkpoints that could not be taken (the node stopped answering reads). */
  readonly checkpointFailures: readonly string[];
  readonly checkpoints: readonly BalanceCheckpoint[];
  /** null when memory could not be sampled (the node is not on this machine). */
  readonly memory: MemoryTrend | null;
  readonly nodeExits: readonly string[];
  readonly generatorWarnings: readonly string[];
}

export interface SoakVerdict {
  readonly verdict: 'PASS' | 'FAIL';
  readonly reasons: readonly string[];
  readonly warnings: readonly string[];
}

export function judgeSoak(observed: SoakObservations): SoakVerdict {
  const reasons: string[] = [];
  const warnings: string[] = [...observed.generatorWarnings];
  const { audit } = observed;
  if (audit.missingReceipts > 0) reasons.push(`${audit.missingReceipts} of ${audit.transactionsSent} transactions sent never got a receipt`);
  if (audit.duplicateReceipts > 0) reasons.push(`${audit.duplicateReceipts} duplicate receipts (a transaction answered twice)`);
  if (audit.unexpectedReceipts > 0) reasons.push(`${audit.unexpectedReceipts} receipts for batches or indexes that were never sent`);
  const notCommitted = audit.rejected + audit.failed + audit.otherStatus;
  if (notCommitted > 0) {
    const reasonsText = Object.entries(audit.outcomesByReason).map(([reason, count]) => `${count} ${reason}`).join(', ');
    reasons.push(`${notCommitted} transactions were not COMMITTED though the workload is valid by construction (${reasonsText})`);
  }
  if (audit.samples.length > 0 && reasons.length > 0) reasons.push(`examples: ${audit.samples.join(' | ')}`);
  if (observed.batchErrors > 0) reasons.push(`${observed.batchErrors} batches failed or timed out (${observed.batchErrorMessages.join('; ')})`);
  for (const failure of observed.streamFailures) reasons.push(`a stream broke: ${failure}`);
  for (const failure of observed.checkpointFailures) reasons.push(failure);
  for (const checkpoint of observed.checkpoints) {
    if (!checkpoint.consistent) {
      reasons.push(`checkpoint ${checkpoint.index} (${checkpoint.elapsedSec.toFixed(0)} s, height ${checkpoint.height}): balances sum to ${checkpoint.total}, not the genesis total ${checkpoint.expected} (off by ${BigInt(checkpoint.total) - BigInt(checkpoint.expected)})`);
    }
  }
  if (observed.checkpoints.length === 0) reasons.push('no balance checkpoint was taken');
  if (observed.memory === null) warnings.push('memory not checked: the node is not on this machine (or its pid was not found)');
  else if (observed.memory.status === 'growing') reasons.push(`memory grows: ${observed.memory.explanation}`);
  else if (observed.memory.status === 'inconclusive') warnings.push(`memory check inconclusive: ${observed.memory.explanation}`);
  for (const exit of observed.nodeExits) reasons.push(exit);
  return { verdict: reasons.length === 0 ? 'PASS' : 'FAIL', reasons, warnings };
}
