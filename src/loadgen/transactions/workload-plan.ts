/**
 * The transfer workload as a plan: everything needed to rebuild any batch from its coordinates
 * (stream, batch number), so preparation threads can build any slice in any order and a long run
 * can prepare ahead in chunks.
 *
 *   senders      stream s owns the accounts i with i mod streamCount = s, and takes them round
 *                robin: transfer t of stream s is sent by its (t mod m_s)-th sender, whose nonce
 *                is startNonce + floor(t / m_s). Nonces therefore run 0, 1, 2, ... per sender
 *                within one stream, and the node keeps each stream's batches in order.
 *   receivers    any account but the sender, drawn Zipf-like (ZipfSampler): account 0 hottest.
 *   amounts      1..amountMax, drawn uniformly.
 *   batch id     number × streamCount + stream + 1, so a receipt names its batch's coordinates.
 *
 * Receivers and amounts come from a generator seeded by (seed, stream, batch number).
 */
import { invalidArgument } from '../../errors.js';
import { SeededRandom } from './seeded-random.js';
import type { ZipfSampler } from './zipf-sampler.js';

export type SignatureMode = 'batch-signed' | 'per-transaction';
export const signatureModes: readonly SignatureMode[] = ['batch-signed', 'per-transaction'];

export const accountIdBytes = 32;
export const seedBytes = 32;

export interface WorkloadPlan {
  readonly signatureMode: SignatureMode;
  readonly chainId: number;
  readonly fee: bigint;
  readonly amountMax: number;
  readonly accountCount: number;
  /** accountCount × 32 bytes: account i's id at [32 i, 32 i + 32). */
  readonly accountIds: Uint8Array;
  /** per-transaction: accountCount × 32 bytes of ML-DSA-65 key seeds (FIPS 204 ξ); else null. */
  readonly accountSeeds: Uint8Array | null;
  /** batch-signed: the BATCH_SUBMITTER key's ML-DSA-65 seed; else null. */
  readonly submitterSeed: Uint8Array | null;
  /** Each account's next nonce on the ledger when the run starts. */
  readonly startNonces: BigUint64Array;
  readonly streamCount: number;
  readonly batchSize: number;
  /** Zipf exponent of the receiver choice: 0 uniform, 1 classic hot-account skew. */
  readonly receiverSkew: number;
  readonly seed: number;
}

/** One transfer of a batch, as the plan defines it. */
export interface PlannedTransfer {
  sender: number;
  receiver: number;
  amount: number;
  nonce: bigint;
}

export function checkPlan(plan: WorkloadPlan): void {
  const positive = (field: string, value: number) => {
    if (!Number.isSafeInteger(value) || value <= 0) throw invalidArgument(field, `must be a positive whole number, got ${value}`);
  };
  positive('accountCount', plan.accountCount);
  positive('streamCount', plan.streamCount);
  positive('batchSize', plan.batchSize);
  positive('amountMax', plan.amountMax);
  if (plan.accountCount < 2) throw invalidArgument('accountCount', 'a transfer workload needs at least 2 accounts (a sender and someone else)');
  if (plan.streamCount > plan.accountCount) {
    throw invalidArgument('streamCount', `each stream owns its own senders, so streams (${plan.streamCount}) cannot exceed accounts (${plan.accountCount}); add accounts (--accounts N) or use fewer streams`);
  }
  if (plan.accountIds.length !== plan.accountCount * accountIdBytes) throw invalidArgument('accountIds', `must hold ${plan.accountCount} ids of 32 bytes`);
  if (plan.startNonces.length !== plan.accountCount) throw invalidArgument('startNonces', `must hold one nonce per account (${plan.accountCount})`);
  if (!Number.isInteger(plan.chainId) || plan.chainId < 0 || plan.chainId > 0xffffffff) throw invalidArgument('chainId', `must be a u32, got ${plan.chainId}`);
  if (plan.fee < 0n || plan.fee >= 1n << 64n) throw invalidArgument('fee', `must be a u64, got ${plan.fee}`);
  if (plan.signatureMode === 'per-transaction') {
    if (plan.accountSeeds === null || plan.accountSeeds.length !== plan.accountCount * seedBytes) {
      throw invalidArgument('accountSeeds', 'per-transaction signatures need every account\'s 32-byte key seed');
    }
  } else if (plan.signatureMode === 'batch-signed') {
    if (plan.submitterSeed === null || plan.submitterSeed.length !== seedBytes) throw invalidArgument('submitterSeed', 'batch signatures need the submitter\'s 32-byte key seed');
  } else {
    throw invalidArgument('signatureMode', `must be one of ${signatureModes.join(', ')}, got ${String(plan.signatureMode)}`);
  }
}

/** How many senders stream `stream` owns: the accounts i with i mod streamCount = stream. */
export function senderCountOf(plan: WorkloadPlan, stream: number): number {
  return Math.ceil((plan.accountCount - stream) / plan.streamCount);
}

export function batchIdOf(plan: WorkloadPlan, stream: number, batchNumber: number): bigint {
  return BigInt(batchNumber) * BigInt(plan.streamCount) + BigInt(stream + 1);
}

/** The coordinates a batch id names, or undefined for an id this plan never issues. */
export function batchCoordinatesOf(plan: WorkloadPlan, batchId: number): { stream: number; batchNumber: number } | undefined {
  if (!Number.isSafeInteger(batchId) || batchId < 1) return undefined;
  return { stream: (batchId - 1) % plan.streamCount, batchNumber: Math.floor((batchId - 1) / plan.streamCount) };
}

/**
 * Fills `out` with the transfers of batch (stream, batchNumber), in batch order. `receivers`
 * must be a ZipfSampler over plan.accountCount with plan.receiverSkew.
 */
export function planBatch(plan: WorkloadPlan, stream: number, batchNumber: number, receivers: ZipfSampler, out: PlannedTransfer[]): void {
  const senderCount = senderCountOf(plan, stream);
  const random = SeededRandom.forCoordinates(plan.seed, stream, batchNumber);
  const first = batchNumber * plan.batchSize;
  out.length = plan.batchSize;
  for (let position = 0; position < plan.batchSize; position++) {
    const transferNumber = first + position;
    const sender = stream + (transferNumber % senderCount) * plan.streamCount;
    let receiver = receivers.sample(random);
    if (receiver === sender) receiver = (receiver + 1) % plan.accountCount;
    const amount = 1 + random.below(plan.amountMax);
    const nonce = plan.startNonces[sender]! + BigInt(Math.floor(transferNumber / senderCount));
    const slot = out[position];
    if (slot === undefined) out[position] = { sender, receiver, amount, nonce };
    else {
      slot.sender = sender;
      slot.receiver = receiver;
      slot.amount = amount;
      slot.nonce = nonce;
    }
  }
}
