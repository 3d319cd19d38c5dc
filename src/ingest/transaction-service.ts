/**
 * TransactionService on the acceptor thread, over RawTransactionServiceDefinition: the batch
 * methods take the request's raw bytes straight into the intake (batch-intake.ts) and answer
 * with ReceiptBatch bytes encoded by hand; the reads go to the ledger store (ledger-reads.ts).
 *
 * StreamTransactions: each TxBatch read pauses the stream until that batch's intake is done
 * (its records are in the rings), so a node that cannot keep up stops reading and HTTP/2 flow
 * control holds the client back. A stream's batches enter the log in the order sent, and their
 * receipts are written in that order: a batch that finishes early waits for the ones before it. A batch refused as a whole
 * gets all-REJECTED receipts and the stream goes on; a batch the coordinator cannot order ends
 * the stream, since no receipts can come for it: FAILED_PRECONDITION naming the leader (message
 * and aurigraph-leader-id / aurigraph-leader-address trailers) when this node does not lead,
 * UNAVAILABLE otherwise.
 */
import { Metadata, type ServiceError } from '@grpc/grpc-js';
import type * as grpc from '@grpc/grpc-js';
import { leaderAddressTrailer, leaderIdTrailer } from '../consensus/consensus-port-protocol.js';
import { LeaderRedirect } from '../consensus/leader-redirect.js';
import { invalidArgument } from '../errors.js';
import {
  KeyAlgorithm,
  ReceiptStatus,
  RegisterKeyPayload,
  type Receipt,
  type RegisterAccountKeyRequest,
  type RejectReason,
  type Transaction,
  TransactionKind,
  TxBatch,
} from '../generated/aurigraph.js';
import type { Logger } from '../log/logger.js';
import type { ReceiptsAnswer } from '../pipeline/messages.js';
import { isUserError, toServiceError } from '../server/status.js';
import { encodeReceiptBatch, type RawTransactionServiceHandlers } from '../wire/index.js';
import { encodeBatchRejection } from './batch-rejection.js';
import { type BatchIntake, type IntakeOutcome, StreamOrder } from './batch-intake.js';
import type { LedgerReads } from './ledger-reads.js';
import { drainedOrClosed } from './drained-or-closed.js';

/** Receipts per ReceiptBatch message on a stream, so a large batch's answer stays a modest message. */
const receiptsPerMessageMax = 4096;
const hashBytes = 32;
const emptyBytes = new Uint8Array(0);

export function createTransactionServiceHandlers(intake: BatchIntake, reads: LedgerReads, logger: Logger): RawTransactionServiceHandlers {
  const failUnary = <T>(method: string, callback: grpc.sendUnaryData<T>, error: unknown): void => {
    if (isUserError(error)) logger.debug('request refused', { method, kind: error.kind, field: error.field });
    else logger.error('bug: unexpected error in a TransactionService handler', { method, error });
    callback(serviceErrorOf(error));
  };
  const read =
    <Request, Response>(method: string, operation: (request: Request) => Response): grpc.handleUnaryCall<Request, Response> =>
    (call, callback) => {
      let response: Response;
      try {
        response = operation(call.request);
      } catch (error) {
        failUnary(method, callback, error);
        return;
      }
      callback(null, response);
    };

  const submitOne = async (transaction: Transaction): Promise<Receipt> => {
    const bytes = TxBatch.encode({
      batchId: 0n,
      transactions: [transaction],
      batchSignature: emptyBytes,
      submitterKeyId: emptyBytes,
      submitterPublicKey: emptyBytes,
      submitterAlgorithm: KeyAlgorithm.KEY_ALGORITHM_UNSPECIFIED,
    });
    const outcome = await intake.submit(bytes);
    if (!outcome.accepted) throw outcome.error;
    return firstReceipt(await outcome.answer);
  };
  const unarySubmit =
    <Request>(method: string, toTransaction: (request: Request) => Transaction): grpc.handleUnaryCall<Request, Receipt> =>
    (call, callback) => {
      let transaction: Transaction;
      try {
        transaction = toTransaction(call.request);
      } catch (error) {
        failUnary(method, callback, error);
        return;
      }
      submitOne(transaction).then(
        (receipt) => callback(null, receipt),
        (error: unknown) => failUnary(method, callback, error),
      );
    };

  return {
    submitTransaction: unarySubmit('SubmitTransaction', (transaction: Transaction) => transaction),
    registerAccountKey: unarySubmit('RegisterAccountKey', registerKeyTransaction),
    submitBatch(call, callback) {
      intake
        .submit(call.request)
        .then(async (outcome) => {
          if (!outcome.accepted) throw outcome.error;
          return encodeAnswer(outcome.batchId, await outcome.answer);
        })
        .then(
          (bytes) => callback(null, bytes),
          (error: unknown) => failUnary('SubmitBatch', callback, error),
        );
    },
    streamTransactions(call) {
      serveStream(call, intake, logger);
    },
    getTransaction: read('GetTransaction', (request) => reads.getTransaction(request)),
    getReceipt: read('GetReceipt', (request) => reads.getReceipt(request)),
    getAccount: read('GetAccount', (request) => reads.getAccount(request)),
    getBlock: read('GetBlock', (request) => reads.getBlock(request)),
  };
}

function serveStream(call: grpc.ServerDuplexStream<Buffer, Uint8Array>, intake: BatchIntake, logger: Logger): void {
  const order = new StreamOrder();
  let written: Promise<void> = Promise.resolve();
  let unanswered = 0;
  let readEnded = false;
  let closed = false;
  const finishIfDone = (): void => {
    if (readEnded && unanswered === 0 && !closed) {
      closed = true;
      call.end();
    }
  };
  const fail = (error: unknown): void => {
    if (closed) return;
    closed = true;
    if (!isUserError(error)) logger.error('bug: unexpected error on a transaction stream', { error });
    call.emit('error', serviceErrorOf(error));
  };
  const writeInOrder = async (messages: Buffer[]): Promise<void> => {
    for (const message of messages) {
      if (closed) return;
      if (!call.write(message)) await drainedOrClosed(call);
    }
  };

  call.on('data', (bytes: Buffer) => {
    call.pause();
    unanswered += 1;
    const pending = submitFromStream(intake, bytes, order);
    void pending.intakeDone.then(() => {
      if (!closed) call.resume();
    });
    written = written.then(async () => {
      try {
        await writeInOrder(await pending.reply);
      } catch (error) {
        fail(error);
        return;
      }
      unanswered -= 1;
      finishIfDone();
    });
  });
  call.on('end', () => {
    readEnded = true;
    finishIfDone();
  });
  call.on('cancelled', () => {
    closed = true;
  });
  call.on('error', () => {
    closed = true;
  });
}

const ignore = (): void => undefined;

/** The gRPC status for a refusal; one naming the leader carries it in trailers, as ConsensusService's do. */
function serviceErrorOf(error: unknown): Partial<ServiceError> {
  const status = toServiceError(error);
  if (error instanceof LeaderRedirect && error.leaderId !== '') {
    const metadata = status.metadata ?? new Metadata();
    metadata.set(leaderIdTrailer, error.leaderId);
    metadata.set(leaderAddressTrailer, error.leaderAddress);
    status.metadata = metadata;
  }
  return status;
}

/**
 * Submits one streamed batch. Kept apart from the stream's handler so that no closure living
 * until the batch is answered holds the batch's bytes: only the intake reads them, so a stream's
 * memory is what its rings and in-flight bound allow, not what it has sent.
 */
function submitFromStream(intake: BatchIntake, bytes: Buffer, order: StreamOrder): { intakeDone: Promise<void>; reply: Promise<Buffer[]> } {
  const outcome = intake.submit(bytes, order);
  const reply = outcome.then((result) => replyTo(result, bytes));
  reply.catch(ignore);
  return { intakeDone: outcome.then(ignore, ignore), reply };
}

function replyTo(result: IntakeOutcome, bytes: Buffer): Buffer[] | Promise<Buffer[]> {
  if (!result.accepted) return [encodeBatchRejection(bytes, result.error)];
  const { batchId } = result;
  return result.answer.then((answer) => encodeAnswerMessages(batchId, answer));
}

function registerKeyTransaction(request: RegisterAccountKeyRequest): Transaction {
  if (request.accountId.length !== hashBytes) {
    throw invalidArgument('account_id', `must be ${hashBytes} bytes (the account registering the key), got ${request.accountId.length}`);
  }
  return {
    kind: TransactionKind.REGISTER_KEY,
    from: request.accountId,
    to: emptyBytes,
    amount: 0n,
    nonce: request.nonce,
    fee: request.fee,
    chainId: request.chainId,
    payload: RegisterKeyPayload.encode({ role: request.role, algorithm: request.algorithm, publicKey: request.publicKey }),
    signature: request.signature,
  };
}

function columnsOf(batchId: bigint, answer: ReceiptsAnswer) {
  const rejectMessages = new Array<string | undefined>(answer.count);
  for (const [index, message] of answer.messages) rejectMessages[index] = message;
  return {
    batchId,
    count: answer.count,
    statuses: answer.statuses,
    rejectReasons: answer.reasons,
    rejectMessages,
    txHashes: answer.txHashes,
    blockHeight: answer.blockHeight,
    stateRoot: answer.stateRoot,
  };
}

/** One ReceiptBatch with every receipt of the batch (SubmitBatch). */
function encodeAnswer(batchId: bigint, answer: ReceiptsAnswer): Buffer {
  return encodeReceiptBatch(columnsOf(batchId, answer));
}

/** The batch's receipts in messages of at most receiptsPerMessageMax (StreamTransactions). */
function encodeAnswerMessages(batchId: bigint, answer: ReceiptsAnswer): Buffer[] {
  const columns = columnsOf(batchId, answer);
  const messages: Buffer[] = [];
  for (let first = 0; first < answer.count; first += receiptsPerMessageMax) {
    messages.push(encodeReceiptBatch(columns, { first, end: Math.min(answer.count, first + receiptsPerMessageMax) }));
  }
  return messages;
}

function firstReceipt(answer: ReceiptsAnswer): Receipt {
  const status = answer.statuses[0]! as ReceiptStatus;
  const ordered = status === ReceiptStatus.COMMITTED || status === ReceiptStatus.FAILED;
  const txHash = answer.txHashes.subarray(0, hashBytes);
  return {
    batchId: 0n,
    index: 0,
    txHash: txHash.some((byte) => byte !== 0) ? txHash : emptyBytes,
    status,
    rejectReason: answer.reasons[0]! as RejectReason,
    rejectMessage: answer.messages.find(([index]) => index === 0)?.[1] ?? '',
    blockHeight: ordered ? answer.blockHeight : 0n,
    stateRoot: ordered ? answer.stateRoot : emptyBytes,
    result: emptyBytes,
    gasUsed: 0n,
  };
}
