/**
 * TransactionService's reads, served on the acceptor thread from its own handle on the ledger
 * store (LMDB readers do not block the writer on the main thread). Wrong-length ids are
 * INVALID_ARGUMENT and misses NOT_FOUND, each naming the request field.
 *
 * Every read starts on the latest committed state (readLatestCommitted), so a read made after a
 * receipt arrived sees that receipt's block.
 */
import { invalidArgument, notFound } from '../errors.js';
import {
  type Account,
  type AccountKey,
  type Block,
  type GetAccountRequest,
  type GetBlockRequest,
  type GetReceiptRequest,
  type GetTransactionRequest,
  type GetTransactionResponse,
  KeyRole,
  type Receipt,
} from '../generated/aurigraph.js';
import type { AccountKeyWithPublicKey, LedgerStore, StoredReceipt } from '../ledger/index.js';
import { readLatestCommitted } from '../exec/latest-snapshot.js';
import { transactionFromStoredBytes } from '../pipeline/stored-transactions.js';

const hashBytes = 32;
const emptyBytes = new Uint8Array(0);

export class LedgerReads {
  readonly #store: LedgerStore;
  readonly #chainId: number;
  readonly #appliedHeightHint: () => bigint;
  #latestSeen: bigint;

  /** `appliedHeightHint`: the last height the coordinator reported (it may lag, never lead, the store). */
  constructor(store: LedgerStore, appliedHeightHint: () => bigint) {
    this.#store = store;
    this.#chainId = store.chainParameters().chainId;
    this.#appliedHeightHint = appliedHeightHint;
    this.#latestSeen = store.lastBlock()?.header.height ?? 0n;
  }

  /** The height of the last block in the store as this read sees it. */
  latestHeight(): bigint {
    let height = this.#appliedHeightHint() > this.#latestSeen ? this.#appliedHeightHint() : this.#latestSeen;
    while (this.#store.getBlock(height + 1n) !== undefined) height += 1n;
    this.#latestSeen = height;
    return height;
  }

  getTransaction(request: GetTransactionRequest): GetTransactionResponse {
    readLatestCommitted();
    checkLength('tx_hash', request.txHash, 'the transaction hash (SHA-256 of its signing bytes)');
    const stored = this.#store.getTransaction(request.txHash);
    if (stored === undefined) throw unknownTransaction(request.txHash);
    return { transaction: transactionFromStoredBytes(stored.storedBytes, this.#chainId), receipt: receiptOf(stored.receipt) };
  }

  getReceipt(request: GetReceiptRequest): Receipt {
    readLatestCommitted();
    checkLength('tx_hash', request.txHash, 'the transaction hash (SHA-256 of its signing bytes)');
    const receipt = this.#store.getReceipt(request.txHash);
    if (receipt === undefined) throw unknownTransaction(request.txHash);
    return receiptOf(receipt);
  }

  getAccount(request: GetAccountRequest): Account {
    readLatestCommitted();
    checkLength('account_id', request.accountId, 'the account id');
    const asOfHeight = this.latestHeight();
    const account = this.#store.getAccount(request.accountId);
    if (account === undefined) {
      throw notFound('account_id', `no account ${hex(request.accountId)} as of block ${asOfHeight}; an account exists once it has been credited`);
    }
    return {
      accountId: account.id,
      balance: account.balance,
      nonce: account.nonce,
      registeredKeys: account.keys.filter((key) => key.role === KeyRole.ACCOUNT_SIGNING).map(accountKeyOf),
      submitterKeys: account.keys.filter((key) => key.role === KeyRole.BATCH_SUBMITTER).map(accountKeyOf),
      asOfHeight,
    };
  }

  getBlock(request: GetBlockRequest): Block {
    readLatestCommitted();
    const latest = this.latestHeight();
    const height = request.latest ? latest : request.height;
    const stored = this.#store.getBlock(height);
    if (stored === undefined) throw notFound('height', `block ${height} is above the last applied block, ${latest}`);
    const { header } = stored;
    const transactionHashes = this.#store.getBlockTransactionHashes(height);
    return {
      height: header.height,
      blockHash: stored.blockHash,
      parentHash: header.parentHash,
      stateRoot: header.stateRoot,
      transactionsRoot: header.transactionsRoot,
      timestampUnixMs: header.timestampMs,
      raftTerm: header.raftTerm,
      raftIndex: header.raftIndex,
      transactionCount: header.transactionCount,
      transactionHashes,
      transactions: request.includeTransactions
        ? transactionHashes.map((hash) => transactionFromStoredBytes(this.#store.getTransaction(hash)!.storedBytes, this.#chainId))
        : [],
    };
  }
}

export function receiptOf(receipt: StoredReceipt): Receipt {
  return {
    batchId: receipt.batchId,
    index: receipt.batchIndex,
    txHash: receipt.txHash,
    status: receipt.status,
    rejectReason: receipt.reason,
    rejectMessage: receipt.message,
    blockHeight: receipt.blockHeight,
    stateRoot: receipt.stateRoot,
    result: emptyBytes,
    gasUsed: 0n,
  };
}

function accountKeyOf(key: AccountKeyWithPublicKey): AccountKey {
  return { keyId: key.keyId, role: key.role, algorithm: key.algorithm, publicKey: key.publicKey, registeredAtHeight: key.registeredAtHeight };
}

function checkLength(field: string, bytes: Uint8Array, what: string): void {
  if (bytes.length !== hashBytes) throw invalidArgument(field, `must be ${hashBytes} bytes (${what}), got ${bytes.length}`);
}

function unknownTransaction(txHash: Uint8Array): Error {
  return notFound('tx_hash', `no transaction ${hex(txHash)} in an applied block; a rejected transaction is never stored`);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
