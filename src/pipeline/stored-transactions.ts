/**
 * What the ledger stores per transaction for GetTransaction: the transaction's compact execution
 * record, exactly as its log entry carries it (src/wire/log-entry.ts), so a block costs no
 * re-encoding. Signatures are not in the log (they were checked before ordering), so a stored
 * transaction comes back without one.
 */
import { assert } from '../errors.js';
import type { Transaction } from '../generated/aurigraph.js';
import type { StoredTransactions } from '../ledger/index.js';
import { compactRecordBytesAt, compactRecordFixedBytes, verifyRecordFlag, type LogEntryView } from '../wire/index.js';

/** The ledger's StoredTransactions over a log entry: hashes and compact records in place. */
export class EntryStoredTransactions implements StoredTransactions {
  readonly #entry: LogEntryView;

  constructor(entry: LogEntryView) {
    this.#entry = entry;
  }

  get count(): number {
    return this.#entry.count;
  }

  txHash(index: number): Uint8Array {
    return this.#entry.txHash(index);
  }

  storedBytes(index: number): Uint8Array {
    const offset = this.#entry.recordOffset(index);
    return this.#entry.bytes.subarray(offset, offset + compactRecordBytesAt(this.#entry.bytes, offset));
  }
}

const emptyBytes = new Uint8Array(0);

/** The Transaction a stored compact record describes (signature empty), for GetTransaction and GetBlock. */
export function transactionFromStoredBytes(stored: Uint8Array, chainId: number): Transaction {
  assert(stored.length >= compactRecordFixedBytes, `a stored transaction is at least ${compactRecordFixedBytes} bytes, got ${stored.length}`);
  assert(stored.length === compactRecordBytesAt(stored, 0), 'a stored transaction is one compact record');
  const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength);
  const flags = stored[1]!;
  const payloadLength = view.getUint16(2, true);
  return {
    kind: stored[0]!,
    from: stored.slice(8, 40),
    to: (flags & verifyRecordFlag.toPresent) !== 0 ? stored.slice(40, 72) : emptyBytes,
    amount: view.getBigUint64(72, true),
    nonce: view.getBigUint64(80, true),
    fee: view.getBigUint64(88, true),
    chainId,
    payload: stored.slice(compactRecordFixedBytes, compactRecordFixedBytes + payloadLength),
    signature: emptyBytes,
  } as Transaction;
}
