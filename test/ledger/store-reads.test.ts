import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { ReceiptStatus, RejectReason, Transaction } from '../../src/generated/aurigraph.js';
import { AurigraphError } from '../../src/errors.js';
import { ArrayExecutionTransactions, executeBlock, openLedgerStore } from '../../src/ledger/index.js';
import { idOf, makeTempDirectory, raftIndexOf, runBlock, simpleGenesis, transactionsRootOf, transfer } from '../fixtures/ledger/ledger-fixture.js';

test('receipts, transactions, blocks and the head read back after a reopen', async () => {
  const directory = makeTempDirectory();
  try {
    let store = openLedgerStore(directory);
    store.initGenesis(simpleGenesis({ alice: 100n }));
    const genesisBlock = store.lastBlock()!;
    assert.equal(genesisBlock.header.height, 0n);
    assert.equal(store.appliedIndex(), 0n);

    const entries = [transfer(idOf('alice'), idOf('bob'), 10n, 0n, 1n), transfer(idOf('alice'), idOf('bob'), 10n, 7n, 1n)];
    const transactions = new ArrayExecutionTransactions(entries);
    const context = store.nextBlockContext({ timestampMs: 1234n, raftTerm: 3n, raftIndex: 40n, transactionsRoot: transactionsRootOf(entries) });
    assert.equal(context.height, 1n);
    assert.deepEqual(context.parentHash, genesisBlock.blockHash);
    assert.deepEqual(context.parentStateRoot, genesisBlock.header.stateRoot);
    const execution = executeBlock(transactions, store, context, store.chainParameters(), 2);
    store.commitBlock({ ...execution, batchId: 99n, batchIndexes: [3, 5], transactions, appliedIndex: 40n });
    await store.close();

    store = openLedgerStore(directory);
    assert.equal(store.appliedIndex(), 40n);
    const last = store.lastBlock()!;
    assert.deepEqual(last, { header: execution.header, blockHash: execution.blockHash });
    assert.deepEqual(store.getBlock(1n), last);
    assert.equal(store.getBlock(2n), undefined);
    assert.equal(last.header.timestampMs, 1234n);
    assert.equal(last.header.raftTerm, 3n);
    assert.equal(last.header.transactionCount, 2);
    assert.deepEqual(store.getBlockTransactionHashes(1n), entries.map((entry) => entry.txHash));
    assert.deepEqual(store.getBlockTransactionHashes(0n), []);

    const committed = store.getTransaction(entries[0]!.txHash)!;
    assert.deepEqual(committed.receipt, {
      txHash: entries[0]!.txHash,
      batchId: 99n,
      batchIndex: 3,
      status: ReceiptStatus.COMMITTED,
      reason: RejectReason.REJECT_REASON_NONE,
      message: '',
      blockHeight: 1n,
      blockIndex: 0,
      stateRoot: execution.header.stateRoot,
    });
    assert.deepEqual(Transaction.decode(committed.storedBytes).amount, 10n);
    const failed = store.getReceipt(entries[1]!.txHash)!;
    assert.equal(failed.status, ReceiptStatus.FAILED);
    assert.equal(failed.reason, RejectReason.NONCE_GAP);
    assert.equal(failed.batchIndex, 5);
    assert.equal(failed.blockIndex, 1);
    assert.match(failed.message, /^nonce: 7 is ahead/);
    assert.equal(store.getReceipt(idOf('unknown hash')), undefined);
    assert.throws(() => store.getReceipt(new Uint8Array(31)), (error: unknown) => error instanceof AurigraphError && error.field === 'txHash');
    assert.equal(store.getAccount(idOf('bob'))!.balance, 10n);
    assert.equal(store.getAccount(idOf('nobody')), undefined);
    await store.close();
    assert.throws(() => store.readAccount(idOf('bob')), /is closed/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('commitBlock refuses a block that does not extend the head, or an applied index that does not advance', async () => {
  const directory = makeTempDirectory();
  const store = openLedgerStore(directory);
  try {
    assert.throws(() => store.nextBlockContext({ timestampMs: 0n, raftTerm: 1n, raftIndex: 1n, transactionsRoot: new Uint8Array(32) }), /has no genesis yet/);
    store.initGenesis(simpleGenesis({ alice: 100n }));
    const entries = [transfer(idOf('alice'), idOf('bob'), 1n, 0n)];
    const transactions = new ArrayExecutionTransactions(entries);
    const context = store.nextBlockContext({ timestampMs: 0n, raftTerm: 1n, raftIndex: raftIndexOf(1n), transactionsRoot: transactionsRootOf(entries) });
    const execution = executeBlock(transactions, store, context, store.chainParameters());
    store.commitBlock({ ...execution, batchId: 1n, transactions, appliedIndex: context.raftIndex });
    // The same block again: height and parent no longer fit.
    assert.throws(
      () => store.commitBlock({ ...execution, batchId: 1n, transactions, appliedIndex: context.raftIndex + 1n }),
      (error: unknown) => error instanceof AurigraphError && error.kind === 'failed_precondition' && /does not extend the ledger/.test(error.message),
    );
    const stale = store.nextBlockContext({ timestampMs: 0n, raftTerm: 1n, raftIndex: context.raftIndex, transactionsRoot: transactionsRootOf(entries) });
    const staleExecution = executeBlock(transactions, store, stale, store.chainParameters());
    assert.throws(
      () => store.commitBlock({ ...staleExecution, batchId: 1n, transactions, appliedIndex: stale.raftIndex }),
      /applied index 5 is not above the ledger's applied index 5/,
    );
    assert.equal(store.lastBlock()!.header.height, 1n);
    assert.equal(store.readAccount(idOf('bob'))!.balance, 1n);
    // Block 2 still commits after the refusals.
    runBlock(store, [transfer(idOf('alice'), idOf('bob'), 1n, 1n)]);
    assert.equal(store.readAccount(idOf('bob'))!.balance, 2n);
    assert.equal(store.appliedIndex(), raftIndexOf(2n));
  } finally {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
});

test('log entries without a block advance the applied index, durably and only forwards', async () => {
  const directory = makeTempDirectory();
  try {
    let store = openLedgerStore(directory);
    store.initGenesis(simpleGenesis({ alice: 100n }));
    store.recordAppliedIndex(3n);
    assert.throws(() => store.recordAppliedIndex(3n), /applied index 3 is not above the ledger's applied index 3/);
    await store.close();
    store = openLedgerStore(directory);
    assert.equal(store.appliedIndex(), 3n);
    assert.equal(store.lastBlock()!.header.height, 0n);
    // The next block's entry comes later in the log.
    runBlock(store, [transfer(idOf('alice'), idOf('bob'), 1n, 0n)]);
    assert.equal(store.appliedIndex(), raftIndexOf(1n));
    await store.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('a replayed copy that reaches the log does not hide the original receipt', async () => {
  const directory = makeTempDirectory();
  try {
    const store = openLedgerStore(directory);
    store.initGenesis(simpleGenesis({ alice: 100n }));
    const original = transfer(idOf('alice'), idOf('bob'), 10n, 0n, 1n);
    const commitOne = (raftIndex: bigint) => {
      const transactions = new ArrayExecutionTransactions([original]);
      const context = store.nextBlockContext({ timestampMs: 1n, raftTerm: 1n, raftIndex, transactionsRoot: transactionsRootOf([original]) });
      const execution = executeBlock(transactions, store, context, store.chainParameters(), 1);
      store.commitBlock({ ...execution, batchId: raftIndex, transactions, appliedIndex: raftIndex });
      return execution.statuses[0];
    };
    assert.equal(commitOne(10n), ReceiptStatus.COMMITTED);
    assert.equal(commitOne(11n), ReceiptStatus.FAILED, 'the replay fails on its used nonce');
    const receipt = store.getReceipt(original.txHash)!;
    assert.equal(receipt.status, ReceiptStatus.COMMITTED);
    assert.equal(receipt.blockHeight, 1n);
    assert.equal(store.getAccount(idOf('bob'))!.balance, 10n);
    await store.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
