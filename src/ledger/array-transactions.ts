/**
 * ExecutionTransactions over an array of plain objects: for tests, tools and other cold paths.
 * The hot path reads log entries in place instead (src/wire).
 */
import { assert } from '../errors.js';
import { accountIdBytes, hashBytes, isU64, zeroHash } from './bytes.js';
import type { ExecutionTransactions, StoredTransactions } from './types.js';

export interface ExecutionTransactionInput {
  /** A TransactionKind value. */
  kind: number;
  /** 32 bytes. */
  from: Uint8Array;
  /** 32 bytes; omitted or empty for kinds without a `to`. */
  to?: Uint8Array;
  amount: bigint;
  nonce: bigint;
  fee: bigint;
  /** Omitted means empty. */
  payload?: Uint8Array;
  /** 32 bytes. */
  txHash: Uint8Array;
  /** What GetTransaction returns for this transaction; omitted means empty. */
  storedBytes?: Uint8Array;
}

const emptyBytes = new Uint8Array(0);

export class ArrayExecutionTransactions implements ExecutionTransactions, StoredTransactions {
  readonly #entries: readonly ExecutionTransactionInput[];

  constructor(entries: readonly ExecutionTransactionInput[]) {
    entries.forEach((entry, index) => {
      assert(entry.from.length === accountIdBytes, `transactions[${index}].from is ${accountIdBytes} bytes`);
      assert(
        entry.to === undefined || entry.to.length === 0 || entry.to.length === accountIdBytes,
        `transactions[${index}].to is ${accountIdBytes} bytes or empty`,
      );
      assert(entry.txHash.length === hashBytes, `transactions[${index}].txHash is ${hashBytes} bytes`);
      assert(isU64(entry.amount) && isU64(entry.nonce) && isU64(entry.fee), `transactions[${index}] amount, nonce and fee are u64`);
      assert(Number.isInteger(entry.kind) && entry.kind >= 0 && entry.kind <= 0xffffffff, `transactions[${index}].kind is a u32`);
    });
    this.#entries = entries;
  }

  get count(): number {
    return this.#entries.length;
  }

  kind(index: number): number {
    return this.#entry(index).kind;
  }

  from(index: number): Uint8Array {
    return this.#entry(index).from;
  }

  to(index: number): Uint8Array {
    const to = this.#entry(index).to;
    return to === undefined || to.length === 0 ? zeroHash : to;
  }

  amount(index: number): bigint {
    return this.#entry(index).amount;
  }

  nonce(index: number): bigint {
    return this.#entry(index).nonce;
  }

  fee(index: number): bigint {
    return this.#entry(index).fee;
  }

  txHash(index: number): Uint8Array {
    return this.#entry(index).txHash;
  }

  payload(index: number): Uint8Array {
    return this.#entry(index).payload ?? emptyBytes;
  }

  storedBytes(index: number): Uint8Array {
    return this.#entry(index).storedBytes ?? emptyBytes;
  }

  #entry(index: number): ExecutionTransactionInput {
    const entry = this.#entries[index];
    assert(entry !== undefined, `transaction index ${index} is within [0, ${this.#entries.length})`);
    return entry;
  }
}
