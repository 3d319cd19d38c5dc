import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { buildBatchSignedBatch, keyIdOf, transfer } from '../../src/client/transactions.js';
import { devAccount, devChainId, devSubmitter } from '../../src/client/dev-keys.js';
import { selectSignatureBackend } from '../../src/crypto/index.js';
import { TxBatch } from '../../src/generated/aurigraph.js';
import { BatchIntake } from '../../src/ingest/batch-intake.js';
import { PipelineLink } from '../../src/ingest/pipeline-link.js';
import type { IntakeMessage } from '../../src/pipeline/messages.js';
import { createRing } from '../../src/ring/index.js';

// The coordinator keeps a batch's signature fields (the submitter's key id for as long as it
// knows the submitter): posting them must not carry the whole TxBatch along.
test('the batch signature fields reach the coordinator in buffers of their own, not as views of the batch', async () => {
  const backend = selectSignatureBackend('auto');
  const submitter = devSubmitter(backend);
  const sender = devAccount(0, backend);
  const receiver = devAccount(1, backend);
  const transactions = Array.from({ length: 64 }, (_, nonce) =>
    transfer({ chainId: devChainId, from: sender.accountId, to: receiver.accountId, amount: 1n, nonce: BigInt(nonce), fee: 0n }),
  );
  const batch = buildBatchSignedBatch(7n, transactions, submitter, backend, { includePublicKey: true });
  // gRPC hands the acceptor a Node.js Buffer, whose slice() is a view.
  const bytes = Buffer.from(TxBatch.encode(batch));

  const channel = new MessageChannel();
  const received: IntakeMessage[] = [];
  const arrived = new Promise<void>((resolve) => {
    channel.port2.on('message', (message: IntakeMessage) => {
      received.push(message);
      if (message.type === 'whole' || message.type === 'end') resolve();
    });
  });
  const link = new PipelineLink(channel.port1);
  const intake = new BatchIntake({
    limits: { chainId: devChainId, maxBatchTransactions: 64, maxBatchBytes: 1 << 20, payloadBytesMax: 1024, verifyRecordBytes: 8192 },
    shardRings: [createRing({ records: 128, recordBytes: 8192 })],
    maxInflightTransactions: 64,
    link,
  });
  try {
    const outcome = await intake.submit(bytes);
    assert.equal(outcome.accepted, true);
    if (outcome.accepted) outcome.answer.catch(() => undefined); // refused when the link closes below
    await arrived;

    const whole = received.find((message) => message.type === 'whole');
    assert.ok(whole !== undefined && whole.type === 'whole', `one message carries the whole batch, got ${received.map((message) => message.type).join(', ')}`);
    const signature = whole.begin.batchSignature;
    assert.ok(signature !== undefined, 'a batch-signed batch is announced with its signature');
    assert.deepEqual(signature.keyId, keyIdOf(submitter.publicKey));
    assert.deepEqual(signature.publicKey, submitter.publicKey);
    assert.deepEqual(signature.signature, batch.batchSignature);
    for (const [name, field] of Object.entries({ keyId: signature.keyId, publicKey: signature.publicKey, signature: signature.signature })) {
      assert.equal(field.buffer.byteLength, field.byteLength, `${name} arrives in a buffer of its own ${field.byteLength} bytes, not the ${bytes.byteLength}-byte batch`);
    }
  } finally {
    link.close();
    channel.port2.close();
  }
});
