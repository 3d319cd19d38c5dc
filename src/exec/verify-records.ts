/**
 * The verify task: consume `count` verify records from one shard's ring, in ring order, and
 * judge each against committed state (docs/pipeline.md, step 5):
 *
 *   hash        SHA-256 of the signing bytes, read in place in the ring
 *   sender      no account                   → UNKNOWN_ACCOUNT
 *               nonce below the account's     → NONCE_REUSED (a replay can never apply)
 *   per-tx      an ACCOUNT_SIGNING key of the sender (of the algorithm the signature's length
 *               names) verifies the signature; an account without one may only send a
 *               REGISTER_KEY whose key hashes to the account id, verified by that key
 *               (self-certification)                           otherwise INVALID_SIGNATURE
 *   batch       the sender registered the batch's submitter key id as a BATCH_SUBMITTER key
 *               of the batch's algorithm             otherwise SUBMITTER_NOT_AUTHORIZED
 *               (the batch signature itself is one check per batch: seal-batch.ts)
 *
 * A transaction that passes gets its compact execution record written for the log entry.
 * Each task reads the latest committed state; blocks still in flight are not in it, which only
 * ever refuses (a key being registered in flight is not seen yet), never admits, because keys
 * are never removed and nonces only grow. Nonce gaps and balances are execution's to judge, in
 * log order.
 *
 * Cost per transaction: one SHA-256 over ~116 bytes, one LMDB read of the sender (~1 µs), and
 * for per-transaction signatures one ML-DSA verify (~190 µs native for ML-DSA-65).
 *
 * The result is one ArrayBuffer, moved to the coordinator, laid out as
 *   requestIds u32[count] | indexes u32[count] | compactOffsets i32[count] | reasons u8[count],
 *   padded to 8 | hashes 32 × count | compact records (compactBytes used)
 * plus the messages of rejected records as [slot, message] pairs.
 */
import crypto from 'node:crypto';
import { type MlDsaAlgorithm, mlDsaParameters } from '../crypto/index.js';
import { AurigraphError, assert } from '../errors.js';
import { KeyAlgorithm, KeyRole, RegisterKeyPayload, RejectReason, TransactionKind } from '../generated/aurigraph.js';
import { type Account, idKey } from '../ledger/index.js';
import { RingConsumer } from '../ring/index.js';
import { VerifyRecordView, compactRecordBytesFor, writeCompactRecord } from '../wire/index.js';
import { movedResult } from './moved-result.js';
import type { WorkerContext } from './worker-context.js';

const hashBytes = 32;

/** What a batch-signed request lets through: its submitter key, checked against each sender. */
export interface SubmitterAuthorisation {
  requestId: number;
  /** SHA-256 of the submitter's public key. */
  keyId: Uint8Array;
  /** TxBatch.submitter_algorithm. */
  algorithm: number;
}

export interface VerifyTask {
  kind: 'verify';
  shard: number;
  /** Records to consume; the acceptor committed at least this many. */
  count: number;
  /** One entry per batch-signed request with records among these. */
  submitters: SubmitterAuthorisation[];
}

export interface VerifyResult {
  shard: number;
  count: number;
  buffer: ArrayBuffer;
  /** Bytes of the compact-record section in use. */
  compactBytes: number;
  /** [slot, message] for every rejected record. */
  messages: Array<[number, string]>;
}

export interface VerifyResultViews {
  requestIds: Uint32Array;
  indexes: Uint32Array;
  /** Where each accepted record's compact record starts in `compact`; -1 when rejected. */
  compactOffsets: Int32Array;
  /** RejectReason per record; REJECT_REASON_NONE when it passed. */
  reasons: Uint8Array;
  /** 32 bytes per record. */
  hashes: Uint8Array;
  compact: Uint8Array;
}

function sectionOffsets(count: number): { reasons: number; hashes: number; compact: number } {
  const reasons = 12 * count;
  const hashes = reasons + ((count + 7) & ~7);
  return { reasons, hashes, compact: hashes + hashBytes * count };
}

/** Typed views over a VerifyResult's buffer. */
export function verifyResultViews(result: VerifyResult): VerifyResultViews {
  const { count, buffer } = result;
  const offsets = sectionOffsets(count);
  return {
    requestIds: new Uint32Array(buffer, 0, count),
    indexes: new Uint32Array(buffer, 4 * count, count),
    compactOffsets: new Int32Array(buffer, 8 * count, count),
    reasons: new Uint8Array(buffer, offsets.reasons, count),
    hashes: new Uint8Array(buffer, offsets.hashes, hashBytes * count),
    compact: new Uint8Array(buffer, offsets.compact, result.compactBytes),
  };
}

const algorithmBySignatureBytes = new Map<number, { name: MlDsaAlgorithm; wire: number }>([
  [mlDsaParameters['ML-DSA-44'].signatureBytes, { name: 'ML-DSA-44', wire: KeyAlgorithm.ML_DSA_44 }],
  [mlDsaParameters['ML-DSA-65'].signatureBytes, { name: 'ML-DSA-65', wire: KeyAlgorithm.ML_DSA_65 }],
  [mlDsaParameters['ML-DSA-87'].signatureBytes, { name: 'ML-DSA-87', wire: KeyAlgorithm.ML_DSA_87 }],
]);
const algorithmNameByWire = new Map<number, MlDsaAlgorithm>([
  [KeyAlgorithm.ML_DSA_44, 'ML-DSA-44'],
  [KeyAlgorithm.ML_DSA_65, 'ML-DSA-65'],
  [KeyAlgorithm.ML_DSA_87, 'ML-DSA-87'],
]);

interface Verdict {
  reason: RejectReason;
  message: string;
}

export function runVerify(context: WorkerContext, task: VerifyTask): VerifyResult {
  const { shard, count } = task;
  assert(Number.isInteger(count) && count >= 1, `a verify task consumes at least one record, got ${count}`);
  const consumer = new RingConsumer(context.ring(shard));
  const available = consumer.available();
  assert(available >= count, `shard ${shard}'s ring holds the ${count} records announced, found ${available}`);
  const view = new VerifyRecordView(consumer.bytes, consumer.recordBytes);

  let compactCapacity = 0;
  for (let slot = 0; slot < count; slot++) compactCapacity += compactRecordBytesFor(view.moveTo(consumer.peek(slot)).payloadLength);
  const offsets = sectionOffsets(count);
  const buffer = new ArrayBuffer(offsets.compact + compactCapacity);
  const requestIds = new Uint32Array(buffer, 0, count);
  const indexes = new Uint32Array(buffer, 4 * count, count);
  const compactOffsets = new Int32Array(buffer, 8 * count, count);
  const reasons = new Uint8Array(buffer, offsets.reasons, count);
  const hashes = new Uint8Array(buffer, offsets.hashes, hashBytes * count);
  const compact = new Uint8Array(buffer, offsets.compact, compactCapacity);
  const messages: Array<[number, string]> = [];
  const submitters = new Map(task.submitters.map((submitter) => [submitter.requestId, submitter]));
  // A client that got a receipt expects its next transaction to be judged by that block's
  // state (a key it just registered, a nonce it just used), not by an older snapshot.
  context.readLatestCommitted();
  const store = context.store();
  /** The senders read so far in this task (at most `count`); undefined: no such account. */
  const accounts = new Map<string, Account | undefined>();

  let compactBytes = 0;
  for (let slot = 0; slot < count; slot++) {
    view.moveTo(consumer.peek(slot));
    requestIds[slot] = view.requestId;
    indexes[slot] = view.index;
    const hash = hashes.subarray(slot * hashBytes, (slot + 1) * hashBytes);
    hash.set(crypto.hash('sha256', view.signingBytes(), 'buffer'));
    // Senders repeat within a task (a batch carries many transactions per sender): read and
    // decode each account once per task, all from the same committed state.
    const from = view.from();
    const fromKey = idKey(from);
    let account = accounts.get(fromKey);
    if (account === undefined && !accounts.has(fromKey)) {
      account = store.readAccount(from);
      accounts.set(fromKey, account);
    }
    const verdict = judge(context, view, account, submitters);
    if (verdict === undefined) {
      compactOffsets[slot] = compactBytes;
      compactBytes = writeCompactRecord(view, hash, compact, compactBytes);
    } else {
      compactOffsets[slot] = -1;
      reasons[slot] = verdict.reason;
      messages.push([slot, verdict.message]);
    }
  }
  // Every read of the records is done: the acceptor may reuse their slots.
  consumer.release(count);
  return movedResult({ shard, count, buffer, compactBytes, messages }, [buffer]);
}

function judge(
  context: WorkerContext,
  view: VerifyRecordView,
  account: Account | undefined,
  submitters: ReadonlyMap<number, SubmitterAuthorisation>,
): Verdict | undefined {
  if (account === undefined) {
    return {
      reason: RejectReason.UNKNOWN_ACCOUNT,
      message: `from: account ${hex(view.from())} does not exist on the ledger; an account exists once it has been credited`,
    };
  }
  const nonce = view.nonce;
  if (nonce < account.nonce) {
    return { reason: RejectReason.NONCE_REUSED, message: `nonce: ${nonce} was already used; the account's next nonce is ${account.nonce}` };
  }
  if (view.isBatchSigned) {
    const submitter = submitters.get(view.requestId);
    assert(submitter !== undefined, `batch-signed record of request ${view.requestId} comes with its submitter key`);
    return checkSubmitter(account, submitter);
  }
  return checkSignature(context, view, account);
}

function checkSubmitter(account: Account, submitter: SubmitterAuthorisation): Verdict | undefined {
  const key = account.keys.find((candidate) => candidate.role === KeyRole.BATCH_SUBMITTER && bytesEqual(candidate.keyId, submitter.keyId));
  if (key === undefined) {
    return {
      reason: RejectReason.SUBMITTER_NOT_AUTHORIZED,
      message: `submitter_key_id: ${hex(submitter.keyId)} is not a BATCH_SUBMITTER key of account ${hex(account.id)}; the sender must register it first`,
    };
  }
  if (key.algorithm !== submitter.algorithm) {
    return {
      reason: RejectReason.SUBMITTER_NOT_AUTHORIZED,
      message: `submitter_algorithm: the batch says ${algorithmNameByWire.get(submitter.algorithm) ?? submitter.algorithm}, but account ${hex(account.id)} registered this submitter key as ${algorithmNameByWire.get(key.algorithm) ?? key.algorithm}`,
    };
  }
  return undefined;
}

function checkSignature(context: WorkerContext, view: VerifyRecordView, account: Account): Verdict | undefined {
  const signatureBytes = view.signatureLength;
  const algorithm = algorithmBySignatureBytes.get(signatureBytes);
  if (algorithm === undefined) {
    return {
      reason: RejectReason.INVALID_SIGNATURE,
      message: `signature: ${signatureBytes} bytes is not the length of an ML-DSA-44, -65 or -87 signature (2420, 3309 or 4627)`,
    };
  }
  const signingKeys = account.keys.filter((key) => key.role === KeyRole.ACCOUNT_SIGNING);
  const candidates = signingKeys.filter((key) => key.algorithm === algorithm.wire);
  if (candidates.length === 0) {
    if (signingKeys.length === 0) return checkSelfCertifying(context, view, account, algorithm);
    return {
      reason: RejectReason.INVALID_SIGNATURE,
      message: `signature: account ${hex(account.id)} has no ${algorithm.name} ACCOUNT_SIGNING key to check a ${signatureBytes}-byte signature with`,
    };
  }
  const message = view.signingBytes();
  const signature = view.signature();
  for (const key of candidates) {
    const publicKey = context.publicKey(key.keyId);
    assert(publicKey !== undefined, `the public key of account key ${hex(key.keyId)} is stored`);
    if (verifies(context, algorithm.name, publicKey, message, signature)) return undefined;
  }
  return {
    reason: RejectReason.INVALID_SIGNATURE,
    message: `signature: does not verify against the ${algorithm.name} ACCOUNT_SIGNING key${candidates.length > 1 ? 's' : ''} of account ${hex(account.id)}`,
  };
}

/** An account without signing keys may only register its first one, signed by that very key. */
function checkSelfCertifying(
  context: WorkerContext,
  view: VerifyRecordView,
  account: Account,
  algorithm: { name: MlDsaAlgorithm; wire: number },
): Verdict | undefined {
  const refusal: Verdict = {
    reason: RejectReason.INVALID_SIGNATURE,
    message:
      `signature: account ${hex(account.id)} has no ACCOUNT_SIGNING key yet; its first transaction must be a REGISTER_KEY ` +
      `of an ACCOUNT_SIGNING key whose SHA-256 is the account id, signed by that key`,
  };
  if (view.kind !== TransactionKind.REGISTER_KEY) return refusal;
  let payload: RegisterKeyPayload;
  try {
    payload = RegisterKeyPayload.decode(view.payload());
  } catch {
    return { reason: RejectReason.MALFORMED, message: 'payload: not a RegisterKeyPayload, so the self-certifying key cannot be read' };
  }
  if (payload.role !== KeyRole.ACCOUNT_SIGNING || payload.algorithm !== algorithm.wire) return refusal;
  if (payload.publicKey.length !== mlDsaParameters[algorithm.name].publicKeyBytes) return refusal;
  const keyId = crypto.hash('sha256', payload.publicKey, 'buffer');
  if (!bytesEqual(keyId, view.from())) return refusal;
  if (verifies(context, algorithm.name, payload.publicKey, view.signingBytes(), view.signature())) return undefined;
  return {
    reason: RejectReason.INVALID_SIGNATURE,
    message: `signature: does not verify against the ${algorithm.name} key this REGISTER_KEY registers (the account's self-certifying key)`,
  };
}

function verifies(context: WorkerContext, algorithm: MlDsaAlgorithm, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return context.backend().verify(algorithm, publicKey, message, signature);
  } catch (error) {
    // Lengths were matched to the algorithm above, so a refusal here is a bug, not a user error.
    if (error instanceof AurigraphError) throw new Error(`verify refused arguments it was given in checked lengths: ${error.message}`, { cause: error });
    throw error;
  }
}

function bytesEqual(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
