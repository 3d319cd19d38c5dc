/**
 * TransactionService for the hot path: the same method paths as the generated definition, but
 * SubmitBatch and StreamTransactions hand the handler the request's raw bytes (a Buffer to walk
 * with TxBatchReader) and send the handler's bytes as they are (a ReceiptBatch encoded by
 * encodeReceiptBatch). The wire is unchanged, so any client — the generated one, grpcurl,
 * another language — talks to it normally. The other methods are the generated ones.
 */
import type * as grpc from '@grpc/grpc-js';
import { TransactionServiceDefinition, type TransactionServiceHandlers } from '../generated/aurigraph.js';

const passBytes = (bytes: Buffer): Buffer => bytes;

/** grpc-js serializers must return a Buffer; wrap a plain Uint8Array without copying. */
const sendBytes = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export const RawTransactionServiceDefinition = {
  ...TransactionServiceDefinition,
  submitBatch: {
    path: TransactionServiceDefinition.submitBatch.path,
    requestStream: false,
    responseStream: false,
    requestSerialize: sendBytes,
    requestDeserialize: passBytes,
    responseSerialize: sendBytes,
    responseDeserialize: passBytes,
    originalName: TransactionServiceDefinition.submitBatch.originalName,
  },
  streamTransactions: {
    path: TransactionServiceDefinition.streamTransactions.path,
    requestStream: true,
    responseStream: true,
    requestSerialize: sendBytes,
    requestDeserialize: passBytes,
    responseSerialize: sendBytes,
    responseDeserialize: passBytes,
    originalName: TransactionServiceDefinition.streamTransactions.originalName,
  },
} as const satisfies grpc.ServiceDefinition;

/** Handlers for RawTransactionServiceDefinition: raw bytes in and out on the two batch methods. */
export interface RawTransactionServiceHandlers extends grpc.UntypedServiceImplementation {
  submitTransaction: TransactionServiceHandlers['submitTransaction'];
  /** `call.request` is the encoded TxBatch; answer with an encoded ReceiptBatch. */
  submitBatch: grpc.handleUnaryCall<Buffer, Uint8Array>;
  /** Each message read is an encoded TxBatch; write encoded ReceiptBatch messages. */
  streamTransactions: grpc.handleBidiStreamingCall<Buffer, Uint8Array>;
  getTransaction: TransactionServiceHandlers['getTransaction'];
  getReceipt: TransactionServiceHandlers['getReceipt'];
  getAccount: TransactionServiceHandlers['getAccount'];
  getBlock: TransactionServiceHandlers['getBlock'];
  registerAccountKey: TransactionServiceHandlers['registerAccountKey'];
}
