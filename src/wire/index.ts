/**
 * Hot-path binary formats (see README.md): the TxBatch walker, verify records, log entries and
 * compact execution records, the hand-written ReceiptBatch encoder, and the raw-bytes
 * TransactionService definition.
 */
export {
  TxBatchReader,
  TransactionCursor,
  BatchBoundError,
  checkTxBatchLimits,
  batchTransactionsLimitMax,
  batchBytesLimitMax,
  payloadBytesLimitMax,
  type TxBatchLimits,
  type BatchBound,
} from './tx-batch-reader.js';
export { writeVerifyRecord, VerifyRecordView } from './verify-record.js';
export {
  verifyRecordBytesFor,
  verifyRecordBytesMin,
  verifyRecordBytesMax,
  verifyRecordHeaderBytes,
  verifyRecordFlag,
  verifyRecordOffset,
  verifyRecordLayoutVersion,
} from './verify-record-layout.js';
export { transactionSigningBytes, signingBytesPrefix, signingBytesFixed, signingOffset, accountIdBytes } from './signing-bytes.js';
export {
  EntryBuilder,
  LogEntryView,
  writeCompactRecord,
  compactRecordBytesAt,
  compactRecordBytesFor,
  compactRecordFixedBytes,
  compactPayloadBytesMax,
  logEntryBytesMaxFor,
  logEntryHeaderBytes,
  logEntryMagic,
  logEntryVersion,
  originNodeIdBytesMax,
  type ExecutionTransactions,
  type LogEntryHeader,
} from './log-entry.js';
export { encodeReceiptBatch, type ReceiptColumns, type ReceiptRange } from './receipt-writer.js';
export { RawTransactionServiceDefinition, type RawTransactionServiceHandlers } from './raw-transaction-service.js';
