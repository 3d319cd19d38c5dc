import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import {
  buildBatchSignedBatch,
  buildSignedBatch,
  createClient,
  devAccount,
  devAccountBalance,
  devChainId,
  devSubmitter,
  signTransaction,
  transactionHashOf,
  transfer,
} from '../../src/client/index.js';
import { selectSignatureBackend } from '../../src/crypto/index.js';
import { type Receipt, ReceiptStatus, RejectReason, type Transaction } from '../../src/generated/aurigraph.js';
import { startNodeProcess } from '../helpers/node-process.js';
import { StreamConversation } from './fixtures/e2e.js';

const backend = selectSignatureBackend('auto');
const alice = devAccount(0, backend);
const bob = devAccount(1, backend);
const carol = devAccount(2, backend);
const dave = devAccount(3, backend);
const erin = devAccount(4, backend);

function signedTransfer(from: ReturnType<typeof devAccount>, nonce: bigint, amount: bigint, overrides: Partial<Transaction> = {}): Transaction {
  return signTransaction({ ...transfer({ from: from.accountId, to: bob.accountId, amount, nonce, fee: 1n, chainId: devChainId }), ...overrides }, from.privateKey, backend);
}

function expectReceipt(receipt: Receipt | undefined, status: ReceiptStatus, reason: RejectReason, message?: RegExp): void {
  assert.ok(receipt, 'a receipt');
  assert.equal(receipt.status, status, `status of ${JSON.stringify(receipt.rejectMessage)}`);
  assert.equal(receipt.rejectReason, reason, receipt.rejectMessage);
  if (message) assert.match(receipt.rejectMessage, message);
  if (status === ReceiptStatus.REJECTED) {
    assert.equal(receipt.blockHeight, 0n, 'a rejected transaction never reached a block');
    assert.equal(receipt.stateRoot.length, 0);
  } else {
    assert.ok(receipt.blockHeight > 0n, 'an ordered transaction names its block');
    assert.equal(receipt.stateRoot.length, 32);
  }
}

test('every refusal says why, and the stream and node keep working after each', async () => {
  const node = await startNodeProcess({ args: ['--set', 'log.level=info', '--set', 'batching.maxBatchTransactions=64'] });
  const client = createClient(node.address, { deadlineMs: 60_000 });
  try {
    const stream = new StreamConversation(client);
    let batchId = 0n;
    const next = (): bigint => (batchId += 1n);

    // A per-transaction signature by another account's key.
    const forged = signTransaction(transfer({ from: alice.accountId, to: bob.accountId, amount: 5n, nonce: 0n, chainId: devChainId }), carol.privateKey, backend);
    const [invalidSignature] = await stream.send(buildSignedBatch(next(), [forged]));
    expectReceipt(invalidSignature, ReceiptStatus.REJECTED, RejectReason.INVALID_SIGNATURE, /^signature: does not verify against the ML-DSA-65 ACCOUNT_SIGNING key of account /);

    // A batch signature by a key that is not the submitter key the batch names.
    const impostor = backend.keygen('ML-DSA-65');
    const badBatch = buildBatchSignedBatch(next(), [transfer({ from: alice.accountId, to: bob.accountId, amount: 5n, nonce: 0n, chainId: devChainId })], { privateKey: impostor.privateKey, publicKey: devSubmitter(backend).publicKey }, backend);
    const [invalidBatchSignature] = await stream.send(badBatch);
    expectReceipt(invalidBatchSignature, ReceiptStatus.REJECTED, RejectReason.INVALID_SIGNATURE, /^batch_signature: does not verify over the Merkle root/);

    // A batch-signed batch with one transaction refused before hashing: the signed root cannot
    // be rebuilt, so the whole batch is refused, naming that transaction.
    const uncheckable = buildBatchSignedBatch(
      next(),
      [devChainId, devChainId + 3, devChainId].map((chainId, nonce) => transfer({ from: erin.accountId, to: bob.accountId, amount: 1n, nonce: BigInt(nonce), chainId })),
      devSubmitter(backend),
      backend,
    );
    const [hashable, wrongChainInBatch, alsoHashable] = await stream.send(uncheckable);
    expectReceipt(wrongChainInBatch, ReceiptStatus.REJECTED, RejectReason.WRONG_CHAIN);
    for (const receipt of [hashable, alsoHashable]) {
      expectReceipt(receipt, ReceiptStatus.REJECTED, RejectReason.INVALID_SIGNATURE, /^batch_signature: cannot be checked, because transactions\[1\] was rejected before it could be hashed \(WRONG_CHAIN: chain_id: 4 names another network/);
    }

    // A batch that carries a submitter public key other than the one its key id names.
    const mismatched = { ...buildBatchSignedBatch(next(), [transfer({ from: erin.accountId, to: bob.accountId, amount: 1n, nonce: 0n, chainId: devChainId })], devSubmitter(backend), backend), submitterPublicKey: impostor.publicKey };
    const [wrongPublicKey] = await stream.send(mismatched);
    expectReceipt(wrongPublicKey, ReceiptStatus.REJECTED, RejectReason.INVALID_SIGNATURE, /^submitter_public_key: its SHA-256 is not submitter_key_id$/);

    // Applied once, then the same signed transaction again: the replay is refused.
    const original = signedTransfer(alice, 0n, 100n);
    const [committed] = await stream.send(buildSignedBatch(next(), [original]));
    expectReceipt(committed, ReceiptStatus.COMMITTED, RejectReason.REJECT_REASON_NONE);
    assert.deepEqual(committed!.txHash, transactionHashOf(original));
    const [replay] = await stream.send(buildSignedBatch(next(), [original]));
    expectReceipt(replay, ReceiptStatus.REJECTED, RejectReason.NONCE_REUSED, /^nonce: 0 was already used; the account's next nonce is 1$/);

    // A nonce ahead of the account's: ordered, then failed by execution without charging.
    const [gap] = await stream.send(buildSignedBatch(next(), [signedTransfer(alice, 5n, 1n)]));
    expectReceipt(gap, ReceiptStatus.FAILED, RejectReason.NONCE_GAP, /^nonce: 5 is ahead of the account's next nonce 1/);

    // More than the balance: the fee is charged, the nonce consumed, the amount not moved.
    const [overdraft] = await stream.send(buildSignedBatch(next(), [signedTransfer(alice, 1n, devAccountBalance)]));
    expectReceipt(overdraft, ReceiptStatus.FAILED, RejectReason.INSUFFICIENT_FUNDS, /^amount: 1000000000000000 exceeds the balance/);

    // A sender the ledger has never credited.
    const stranger = backend.keygen('ML-DSA-65');
    const unknown = signTransaction(transfer({ from: new Uint8Array(randomBytes(32)), to: bob.accountId, amount: 1n, nonce: 0n, chainId: devChainId }), stranger.privateKey, backend);
    const [unknownAccount] = await stream.send(buildSignedBatch(next(), [unknown]));
    expectReceipt(unknownAccount, ReceiptStatus.REJECTED, RejectReason.UNKNOWN_ACCOUNT, /^from: account [0-9a-f]{64} does not exist on the ledger/);

    // A malformed transaction: a 31-byte sender.
    const malformed = { ...signedTransfer(carol, 0n, 1n), from: carol.accountId.subarray(0, 31) };
    const [malformedReceipt] = await stream.send(buildSignedBatch(next(), [malformed]));
    expectReceipt(malformedReceipt, ReceiptStatus.REJECTED, RejectReason.MALFORMED, /^from: must be exactly 32 bytes \(the sender's account id\), got 31$/);

    // Signed for another network.
    const [wrongChain] = await stream.send(buildSignedBatch(next(), [signedTransfer(carol, 0n, 1n, { chainId: devChainId + 9 })]));
    expectReceipt(wrongChain, ReceiptStatus.REJECTED, RejectReason.WRONG_CHAIN, /^chain_id: 10 names another network; this node's chain id is 1$/);

    // The same transaction twice in one batch: the first is ordered, the copy refused.
    const once = signedTransfer(dave, 0n, 3n);
    const [first, copy] = await stream.send(buildSignedBatch(next(), [once, once]));
    expectReceipt(first, ReceiptStatus.COMMITTED, RejectReason.REJECT_REASON_NONE);
    expectReceipt(copy, ReceiptStatus.REJECTED, RejectReason.DUPLICATE_TRANSACTION, /^transactions\[1\]: the same transaction .* as transactions\[0\] of this batch$/);

    // More transactions than batching.maxBatchTransactions: refused whole, the stream goes on.
    const oversized = buildBatchSignedBatch(
      next(),
      Array.from({ length: 65 }, (_, nonce) => transfer({ from: erin.accountId, to: bob.accountId, amount: 1n, nonce: BigInt(nonce), chainId: devChainId })),
      devSubmitter(backend),
      backend,
    );
    const tooMany = await stream.send(oversized);
    assert.equal(tooMany.length, 65);
    for (const receipt of tooMany) {
      expectReceipt(receipt, ReceiptStatus.REJECTED, RejectReason.MALFORMED, /^RESOURCE_EXHAUSTED: transactions: 65 transactions exceed this node's limit of 64 per batch \(batching\.maxBatchTransactions\); split the batch$/);
    }
    await assert.rejects(client.transaction.submitBatch(oversized), (error: grpc.ServiceError) => {
      assert.equal(error.code, grpc.status.RESOURCE_EXHAUSTED);
      assert.match(error.details, /batching\.maxBatchTransactions/);
      return true;
    });

    // After all of that, the same stream still commits, and so does a new one.
    const [afterwards] = await stream.send(buildSignedBatch(next(), [signedTransfer(alice, 2n, 7n)]));
    expectReceipt(afterwards, ReceiptStatus.COMMITTED, RejectReason.REJECT_REASON_NONE);
    await stream.close();
    const fresh = new StreamConversation(client);
    const [onNewStream] = await fresh.send(buildSignedBatch(1n, [signedTransfer(carol, 0n, 2n)]));
    expectReceipt(onNewStream, ReceiptStatus.COMMITTED, RejectReason.REJECT_REASON_NONE);
    await fresh.close();

    // What execution did, as the ledger reports it: alice paid 100 + 7 and three fees
    // (transfer, overdraft, last transfer); the gap charged nothing.
    const account = await client.transaction.getAccount({ accountId: alice.accountId });
    assert.equal(account.nonce, 3n);
    assert.equal(account.balance, devAccountBalance - 107n - 3n);
  } finally {
    client.close();
    await node.stop('SIGTERM');
    node.cleanup();
  }
});
