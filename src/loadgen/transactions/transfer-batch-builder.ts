/**
 * Builds the TxBatch bytes of one planned batch of transfers, by hand: signing bytes into one
 * scratch buffer, SHA-256 per transaction, ML-DSA signatures (one per transaction, or one over
 * the Merkle root of the batch), then protobuf written straight into an exactly sized buffer.
 * The bytes equal what the generated TxBatch.encode writes for the same batch (proto3 defaults
 * omitted, fields in number order); test/loadgen checks that, and that every batch verifies.
 *
 * Preparation path, not the measured one: it runs in worker threads before the clock starts.
 */
import { createHash } from 'node:crypto';
import { MlDsaPrivateKey, mlDsaParameters, signBatch, type SignatureBackend } from '../../crypto/index.js';
import { assert } from '../../errors.js';
import { KeyAlgorithm, TransactionKind } from '../../generated/aurigraph.js';
import { signingBytesFixed, signingBytesPrefix, signingOffset } from '../../wire/signing-bytes.js';
import { accountIdBytes, batchIdOf, checkPlan, planBatch, seedBytes, type PlannedTransfer, type WorkloadPlan } from './workload-plan.js';
import { ZipfSampler } from './zipf-sampler.js';

const algorithm = 'ML-DSA-65';
const signatureBytes = mlDsaParameters[algorithm].signatureBytes;
const hashBytes = 32;

// Tags: (field number << 3) | wire type.
const tagBatchId = 0x09;
const tagBatchTransactions = 0x12;
const tagBatchSignature = 0x1a;
const tagSubmitterKeyId = 0x22;
const tagSubmitterAlgorithm = 0x30;
const tagKind = 0x08;
const tagFrom = 0x12;
const tagTo = 0x1a;
const tagAmount = 0x21;
const tagNonce = 0x29;
const tagFee = 0x31;
const tagChainId = 0x3d;
const tagSignature = 0x4a;

function varintLength(value: number): number {
  let length = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    length += 1;
  }
  return length;
}

function writeVarint(target: Buffer, position: number, value: number): number {
  while (value >= 0x80) {
    target[position++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  target[position++] = value;
  return position;
}

export interface BuiltBatch {
  readonly batchId: bigint;
  readonly transactionCount: number;
  /** The encoded TxBatch, owning its whole ArrayBuffer (so it can be transferred). */
  readonly bytes: Buffer;
}

export class TransferBatchBuilder {
  readonly #plan: WorkloadPlan;
  readonly #backend: SignatureBackend;
  readonly #receivers: ZipfSampler;
  readonly #planned: PlannedTransfer[] = [];
  readonly #signingBytes = Buffer.alloc(signingBytesFixed);
  readonly #accountKeys = new Map<number, MlDsaPrivateKey>();
  readonly #submitter: { privateKey: MlDsaPrivateKey; keyId: Uint8Array } | null;

  constructor(plan: WorkloadPlan, backend: SignatureBackend) {
    checkPlan(plan);
    this.#plan = plan;
    this.#backend = backend;
    this.#receivers = new ZipfSampler(plan.accountCount, plan.receiverSkew);
    this.#signingBytes.set(signingBytesPrefix, signingOffset.prefix);
    this.#signingBytes.writeUInt32LE(TransactionKind.TRANSFER, signingOffset.kind);
    this.#signingBytes.writeBigUInt64LE(plan.fee, signingOffset.fee);
    this.#signingBytes.writeUInt32LE(plan.chainId, signingOffset.chainId);
    this.#signingBytes.writeUInt32LE(0, signingOffset.payloadLength);
    if (plan.signatureMode === 'batch-signed') {
      const seed = plan.submitterSeed!;
      const { publicKey } = backend.keygen(algorithm, seed);
      this.#submitter = { privateKey: new MlDsaPrivateKey(algorithm, seed), keyId: new Uint8Array(createHash('sha256').update(publicKey).digest()) };
    } else {
      this.#submitter = null;
    }
  }

  build(stream: number, batchNumber: number): BuiltBatch {
    const plan = this.#plan;
    const planned = this.#planned;
    planBatch(plan, stream, batchNumber, this.#receivers, planned);
    const count = planned.length;
    const perTransaction = plan.signatureMode === 'per-transaction';
    const hashes: Uint8Array[] = perTransaction ? [] : new Array<Uint8Array>(count);
    const signatures: Uint8Array[] = perTransaction ? new Array<Uint8Array>(count) : [];
    const lengths = new Array<number>(count);
    const feeBytes = plan.fee === 0n ? 0 : 9;
    const chainIdBytes = plan.chainId === 0 ? 0 : 5;
    let batchLength = 9;
    const scratch = this.#signingBytes;
    for (let index = 0; index < count; index++) {
      const transfer = planned[index]!;
      scratch.set(this.#accountId(transfer.sender), signingOffset.from);
      scratch.set(this.#accountId(transfer.receiver), signingOffset.to);
      scratch.writeBigUInt64LE(BigInt(transfer.amount), signingOffset.amount);
      scratch.writeBigUInt64LE(transfer.nonce, signingOffset.nonce);
      let length = 2 + 34 + 34 + 9 + (transfer.nonce === 0n ? 0 : 9) + feeBytes + chainIdBytes;
      if (perTransaction) {
        const signature = this.#backend.sign(this.#accountKey(transfer.sender), scratch);
        assert(signature.length === signatureBytes, `an ${algorithm} signature is ${signatureBytes} bytes`);
        signatures[index] = signature;
        length += 1 + varintLength(signatureBytes) + signatureBytes;
      } else {
        hashes[index] = new Uint8Array(createHash('sha256').update(scratch).digest());
      }
      lengths[index] = length;
      batchLength += 1 + varintLength(length) + length;
    }
    let batchSignature: Uint8Array | null = null;
    if (!perTransaction) {
      batchSignature = signBatch(this.#backend, this.#submitter!.privateKey, hashes).signature;
      assert(batchSignature.length === signatureBytes, `an ${algorithm} batch signature is ${signatureBytes} bytes`);
      batchLength += 1 + varintLength(signatureBytes) + signatureBytes + 2 + hashBytes + 2;
    }

    const batchId = batchIdOf(plan, stream, batchNumber);
    const bytes = Buffer.allocUnsafeSlow(batchLength);
    let position = 0;
    bytes[position++] = tagBatchId;
    bytes.writeBigUInt64LE(batchId, position);
    position += 8;
    for (let index = 0; index < count; index++) {
      const transfer = planned[index]!;
      bytes[position++] = tagBatchTransactions;
      position = writeVarint(bytes, position, lengths[index]!);
      const start = position;
      bytes[position++] = tagKind;
      bytes[position++] = TransactionKind.TRANSFER;
      bytes[position++] = tagFrom;
      bytes[position++] = accountIdBytes;
      bytes.set(this.#accountId(transfer.sender), position);
      position += accountIdBytes;
      bytes[position++] = tagTo;
      bytes[position++] = accountIdBytes;
      bytes.set(this.#accountId(transfer.receiver), position);
      position += accountIdBytes;
      bytes[position++] = tagAmount;
      bytes.writeBigUInt64LE(BigInt(transfer.amount), position);
      position += 8;
      if (transfer.nonce !== 0n) {
        bytes[position++] = tagNonce;
        bytes.writeBigUInt64LE(transfer.nonce, position);
        position += 8;
      }
      if (plan.fee !== 0n) {
        bytes[position++] = tagFee;
        bytes.writeBigUInt64LE(plan.fee, position);
        position += 8;
      }
      if (plan.chainId !== 0) {
        bytes[position++] = tagChainId;
        bytes.writeUInt32LE(plan.chainId, position);
        position += 4;
      }
      if (perTransaction) {
        bytes[position++] = tagSignature;
        position = writeVarint(bytes, position, signatureBytes);
        bytes.set(signatures[index]!, position);
        position += signatureBytes;
      }
      assert(position - start === lengths[index], 'a transaction is written in the length computed for it');
    }
    if (batchSignature !== null) {
      bytes[position++] = tagBatchSignature;
      position = writeVarint(bytes, position, signatureBytes);
      bytes.set(batchSignature, position);
      position += signatureBytes;
      bytes[position++] = tagSubmitterKeyId;
      bytes[position++] = hashBytes;
      bytes.set(this.#submitter!.keyId, position);
      position += hashBytes;
      bytes[position++] = tagSubmitterAlgorithm;
      bytes[position++] = KeyAlgorithm.ML_DSA_65;
    }
    assert(position === batchLength, `a batch is written in the ${batchLength} bytes computed for it, wrote ${position}`);
    return { batchId, transactionCount: count, bytes };
  }

  #accountId(account: number): Uint8Array {
    return this.#plan.accountIds.subarray(account * accountIdBytes, (account + 1) * accountIdBytes);
  }

  #accountKey(account: number): MlDsaPrivateKey {
    let key = this.#accountKeys.get(account);
    if (key === undefined) {
      key = new MlDsaPrivateKey(algorithm, this.#plan.accountSeeds!.subarray(account * seedBytes, (account + 1) * seedBytes));
      this.#accountKeys.set(account, key);
    }
    return key;
  }
}
