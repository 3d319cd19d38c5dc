import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import {
  buildBatchSignedBatch,
  buildSignedBatch,
  createClient,
  devAccount,
  devChainId,
  devSubmitter,
  keyIdOf,
  registerKey,
  signTransaction,
  transactionHashOf,
  transfer,
} from '../../src/client/index.js';
import { selectSignatureBackend } from '../../src/crypto/index.js';
import { KeyAlgorithm, KeyRole, ReceiptStatus, RejectReason, TransactionKind } from '../../src/generated/aurigraph.js';
import { startNodeProcess } from '../helpers/node-process.js';

const backend = selectSignatureBackend('auto');
const alice = devAccount(0, backend);
const bob = devAccount(1, backend);

function expectStatus(code: grpc.status, field: string, message: RegExp) {
  return (error: grpc.ServiceError): boolean => {
    assert.equal(error.code, code, error.details);
    assert.equal(error.metadata.get('aurigraph-field')[0], field);
    assert.match(error.details, message);
    return true;
  };
}

test('reads answer from the ledger, naming the field when the request is wrong or the thing is missing', async () => {
  const node = await startNodeProcess({ args: ['--set', 'log.level=info'] });
  const client = createClient(node.address, { deadlineMs: 30_000 });
  try {
    const first = signTransaction(transfer({ from: alice.accountId, to: bob.accountId, amount: 12n, nonce: 0n, fee: 3n, chainId: devChainId }), alice.privateKey, backend);
    const receipt = await client.transaction.submitTransaction(first);
    assert.equal(receipt.status, ReceiptStatus.COMMITTED, receipt.rejectMessage);
    assert.equal(receipt.batchId, 0n);
    assert.equal(receipt.index, 0);
    assert.deepEqual(receipt.txHash, transactionHashOf(first));

    const unary = await client.transaction.submitBatch(
      buildBatchSignedBatch(
        41n,
        [1n, 2n].map((nonce) => transfer({ from: alice.accountId, to: bob.accountId, amount: 1n, nonce, chainId: devChainId })),
        devSubmitter(backend),
        backend,
      ),
    );
    assert.equal(unary.batchId, 41n);
    assert.deepEqual(unary.receipts.map((entry) => [entry.index, entry.status]), [[0, ReceiptStatus.COMMITTED], [1, ReceiptStatus.COMMITTED]]);

    const stored = await client.transaction.getTransaction({ txHash: receipt.txHash });
    assert.deepEqual(stored.transaction, { ...first, signature: new Uint8Array(0) }, 'the transaction as ordered; signatures stay out of the log');
    assert.deepEqual(stored.receipt, receipt);
    assert.deepEqual(await client.transaction.getReceipt({ txHash: receipt.txHash }), receipt);

    const account = await client.transaction.getAccount({ accountId: alice.accountId });
    assert.equal(account.nonce, 3n);
    assert.equal(account.registeredKeys.length, 1);
    assert.deepEqual(account.registeredKeys[0]!.publicKey, alice.publicKey);
    assert.deepEqual(account.submitterKeys.map((key) => key.keyId), [keyIdOf(devSubmitter(backend).publicKey)]);
    assert.equal(account.asOfHeight, unary.receipts[0]!.blockHeight);

    const block = await client.transaction.getBlock({ height: receipt.blockHeight, latest: false, includeTransactions: true });
    assert.equal(block.transactionCount, 1);
    assert.deepEqual(block.transactionHashes, [receipt.txHash]);
    assert.deepEqual(block.stateRoot, receipt.stateRoot);
    assert.equal(block.transactions[0]!.kind, TransactionKind.TRANSFER);
    const latest = await client.transaction.getBlock({ height: 0n, latest: true, includeTransactions: false });
    assert.equal(latest.height, unary.receipts[0]!.blockHeight);
    assert.deepEqual(latest.parentHash, block.blockHash);

    const unknownHash = new Uint8Array(32).fill(7);
    await assert.rejects(client.transaction.getTransaction({ txHash: unknownHash }), expectStatus(grpc.status.NOT_FOUND, 'tx_hash', /^tx_hash: no transaction 0707.* in an applied block/));
    await assert.rejects(client.transaction.getReceipt({ txHash: unknownHash.subarray(0, 31) }), expectStatus(grpc.status.INVALID_ARGUMENT, 'tx_hash', /^tx_hash: must be 32 bytes .*got 31$/));
    await assert.rejects(client.transaction.getAccount({ accountId: unknownHash }), expectStatus(grpc.status.NOT_FOUND, 'account_id', /^account_id: no account 0707.* as of block \d+/));
    await assert.rejects(client.transaction.getAccount({ accountId: new Uint8Array(5) }), expectStatus(grpc.status.INVALID_ARGUMENT, 'account_id', /^account_id: must be 32 bytes/));
    await assert.rejects(
      client.transaction.getBlock({ height: latest.height + 1n, latest: false, includeTransactions: false }),
      expectStatus(grpc.status.NOT_FOUND, 'height', new RegExp(`^height: block ${latest.height + 1n} is above the last applied block, ${latest.height}$`)),
    );

    // Sent before its predecessor, a transaction fails NONCE_GAP and changes nothing; sent again
    // after it, the same bytes commit, and the reads answer with the occurrence that committed.
    const ahead = signTransaction(transfer({ from: alice.accountId, to: bob.accountId, amount: 4n, nonce: 4n, fee: 1n, chainId: devChainId }), alice.privateKey, backend);
    const gap = await client.transaction.submitTransaction(ahead);
    assert.equal(gap.status, ReceiptStatus.FAILED, gap.rejectMessage);
    assert.equal(gap.rejectReason, RejectReason.NONCE_GAP);
    assert.deepEqual(await client.transaction.getReceipt({ txHash: gap.txHash }), gap, 'indexed while no copy was applied');
    const predecessor = await client.transaction.submitTransaction(
      signTransaction(transfer({ from: alice.accountId, to: bob.accountId, amount: 3n, nonce: 3n, fee: 1n, chainId: devChainId }), alice.privateKey, backend),
    );
    assert.equal(predecessor.status, ReceiptStatus.COMMITTED, predecessor.rejectMessage);
    const resent = await client.transaction.submitTransaction(ahead);
    assert.equal(resent.status, ReceiptStatus.COMMITTED, resent.rejectMessage);
    assert.deepEqual(resent.txHash, gap.txHash);
    assert.ok(resent.blockHeight > predecessor.blockHeight && predecessor.blockHeight > gap.blockHeight, 'three blocks, in the order sent');
    assert.deepEqual(await client.transaction.getReceipt({ txHash: gap.txHash }), resent);
    assert.deepEqual((await client.transaction.getTransaction({ txHash: gap.txHash })).receipt, resent);
  } finally {
    client.close();
    await node.stop('SIGTERM');
    node.cleanup();
  }
});

test('a new account registers its self-certifying key, then signs with it and adds a batch submitter', async () => {
  const node = await startNodeProcess({ args: ['--set', 'log.level=info'] });
  const client = createClient(node.address, { deadlineMs: 30_000 });
  try {
    const key = backend.keygen('ML-DSA-65');
    const accountId = keyIdOf(key.publicKey);
    // An account exists once credited; it has no keys yet.
    const funding = await client.transaction.submitTransaction(
      signTransaction(transfer({ from: alice.accountId, to: accountId, amount: 1_000n, nonce: 0n, chainId: devChainId }), alice.privateKey, backend),
    );
    assert.equal(funding.status, ReceiptStatus.COMMITTED, funding.rejectMessage);

    // Its first transaction cannot be a transfer: there is no key to check it against.
    const early = await client.transaction.submitTransaction(
      signTransaction(transfer({ from: accountId, to: bob.accountId, amount: 1n, nonce: 0n, chainId: devChainId }), key.privateKey, backend),
    );
    assert.equal(early.status, ReceiptStatus.REJECTED);
    assert.equal(early.rejectReason, RejectReason.INVALID_SIGNATURE);
    assert.match(early.rejectMessage, /has no ACCOUNT_SIGNING key yet; its first transaction must be a REGISTER_KEY/);

    const registration = { from: accountId, role: KeyRole.ACCOUNT_SIGNING, algorithm: KeyAlgorithm.ML_DSA_65, publicKey: key.publicKey, nonce: 0n, chainId: devChainId };
    const signature = signTransaction(registerKey(registration), key.privateKey, backend).signature;
    const registered = await client.transaction.registerAccountKey({ accountId, role: registration.role, algorithm: registration.algorithm, publicKey: key.publicKey, nonce: 0n, fee: 0n, chainId: devChainId, signature });
    assert.equal(registered.status, ReceiptStatus.COMMITTED, registered.rejectMessage);

    const submitter = backend.keygen('ML-DSA-65');
    const addSubmitter = signTransaction(
      registerKey({ from: accountId, role: KeyRole.BATCH_SUBMITTER, algorithm: KeyAlgorithm.ML_DSA_65, publicKey: submitter.publicKey, nonce: 1n, chainId: devChainId }),
      key.privateKey,
      backend,
    );
    const spend = signTransaction(transfer({ from: accountId, to: bob.accountId, amount: 10n, nonce: 2n, chainId: devChainId }), key.privateKey, backend);
    const answered = await client.transaction.submitBatch(buildSignedBatch(9n, [addSubmitter, spend]));
    assert.deepEqual(answered.receipts.map((receipt) => receipt.status), [ReceiptStatus.COMMITTED, ReceiptStatus.COMMITTED], JSON.stringify(answered.receipts.map((receipt) => receipt.rejectMessage)));

    const account = await client.transaction.getAccount({ accountId });
    assert.equal(account.balance, 990n);
    assert.equal(account.nonce, 3n);
    assert.deepEqual(account.registeredKeys.map((entry) => entry.publicKey), [key.publicKey]);
    assert.deepEqual(account.submitterKeys.map((entry) => entry.keyId), [keyIdOf(submitter.publicKey)]);

    await assert.rejects(
      client.transaction.registerAccountKey({ ...registration, accountId: accountId.subarray(1), fee: 0n, signature }),
      expectStatus(grpc.status.INVALID_ARGUMENT, 'account_id', /^account_id: must be 32 bytes/),
    );
  } finally {
    client.close();
    await node.stop('SIGTERM');
    node.cleanup();
  }
});
