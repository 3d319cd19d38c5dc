import type { WorkloadPlan } from './workload-plan.js';

/** What one preparation thread builds: batch numbers [fromBatchNumber, toBatchNumber) of every stream, every `stride`-th item from `offset`. */
export interface PreparationTask {
  readonly plan: WorkloadPlan;
  readonly fromBatchNumber: number;
  readonly toBatchNumber: number;
  readonly offset: number;
  readonly stride: number;
}

export type PreparationMessage =
  | {
      readonly type: 'batch';
      readonly stream: number;
      readonly batchNumber: number;
      readonly batchId: bigint;
      readonly transactionCount: number;
      /** The TxBatch bytes, transferred. */
      readonly bytes: ArrayBuffer;
    }
  | { readonly type: 'done' }
  | { readonly type: 'failed'; readonly message: string };
