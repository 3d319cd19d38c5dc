import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildBatchSignedBatch, buildSignedBatch, createClient, devSubmitter, transfer } from '../../src/client/index.js';
import { selectSignatureBackend } from '../../src/crypto/index.js';
import { type Receipt, ReceiptStatus, RejectReason, type Transaction, type TxBatch } from '../../src/generated/aurigraph.js';
import { LedgerModel, Workload, hex, startNodeOn, streamBatches, testAccounts, testChainId } from './fixtures/e2e.js';

// Heavy batches: 900 transactions carrying 4,000-byte signatures, 3.7 MB each on the wire. The
// verifier refuses each at once (4,000 bytes is no ML-DSA signature length), so the pipeline's
// speed is the rings' and the intake's, and a node that queued what it cannot take would hold
// every byte sent: heavyBatchCount × 3.7 MB.
const heavyBatchCount = Number(process.env['PIPELINE_E2E_BACKPRESSURE_HEAVY_BATCHES'] ?? 160);
const heavyBatchSize = 900;
const signatureBytes = 4_000;
// Light batches: valid batch-signed transfers between them, so blocks are ordered, executed and
// checked while the rings are full.
const lightBatchSize = 1_024;
const streamCount = 4;
const accountCount = 256;
/** The node's own memory (RssAnon: everything but mapped files, i.e. the binary and LMDB's pages). */
const anonymousBytesMax = 256 * 1024 * 1024;

interface Memory {
  residentBytes: number;
  anonymousBytes: number;
}

/** The node's resident memory now, from /proc/<pid>/status: VmRSS, and RssAnon (not file-backed). */
function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    assert.ok(match, `${field} is in /proc/<pid>/status`);
    return Number(match[1]) * 1024;
  };
  return { residentBytes: kilobytes('VmRSS'), anonymousBytes: kilobytes('RssAnon') };
}

const megabytes = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

test('clients sending as fast as they can into 64-record rings get every receipt, and the node stays within 256 MB of its own memory', { timeout: 300_000 }, async (t) => {
  const backend = selectSignatureBackend('auto');
  const submitter = devSubmitter(backend);
  const { ids, genesis } = testAccounts(accountCount, 1_000_000_000n, submitter.publicKey);
  const model = new LedgerModel(genesis);
  const random = new Workload(64);
  const nextNonce = new BigUint64Array(accountCount);
  const junkSignature = new Uint8Array(signatureBytes).fill(0x5a);
  const streams: TxBatch[][] = Array.from({ length: streamCount }, () => []);
  let sentBytes = 0;
  for (let heavy = 0, batchId = 1n; heavy < heavyBatchCount; heavy++) {
    const stream = heavy % streamCount;
    const junk: Transaction[] = Array.from({ length: heavyBatchSize }, (_, index) => ({
      // A nonce far ahead, so the signature is what the verifier refuses.
      ...transfer({ from: ids[stream]!, to: ids[0]!, amount: 1n, nonce: 2n ** 40n + BigInt(index), chainId: testChainId }),
      signature: junkSignature,
    }));
    streams[stream]!.push(buildSignedBatch(batchId++, junk));
    sentBytes += heavyBatchSize * (signatureBytes + 110);
    const light: Transaction[] = [];
    for (let index = 0; index < lightBatchSize; index++) {
      const sender = stream + streamCount * random.below(accountCount / streamCount);
      const receiver = (sender + 1 + random.below(accountCount - 1)) % accountCount;
      const nonce = nextNonce[sender]!;
      nextNonce[sender] = nonce + 1n;
      light.push(transfer({ from: ids[sender]!, to: ids[receiver]!, amount: 1n, nonce, fee: 1n, chainId: testChainId }));
    }
    streams[stream]!.push(buildBatchSignedBatch(batchId++, light, submitter, backend));
  }

  // The node caps its V8 heaps itself (memory.threadOldGenerationMb, 128 MiB by default; the
  // young generation at 6 MiB here), so what is measured is live memory, not garbage a heap on
  // a large machine would let pile up before collecting; a node that queued what it could not
  // take would grow past the bound below (or run out of heap) whatever the cap.
  const node = await startNodeOn(genesis, { args: ['--set', 'shards.ringRecords=64', '--set', 'memory.threadYoungGenerationMb=6'] });
  const pid = node.child.pid!;
  const client = createClient(node.address, { deadlineMs: 60_000 });
  await client.transaction.getAccount({ accountId: ids[0]! });
  const idle = memoryOf(pid);
  const samples: Memory[] = [idle];
  const sampler = setInterval(() => samples.push(memoryOf(pid)), 50);
  try {
    let refused = 0;
    let committed = 0;
    const onAnswered = (batch: TxBatch, receipts: Receipt[]): void => {
      const heavy = batch.batchSignature.length === 0;
      batch.transactions.forEach((transaction, index) => {
        const receipt = receipts[index]!;
        if (heavy) {
          if (receipt.status !== ReceiptStatus.REJECTED || receipt.rejectReason !== RejectReason.INVALID_SIGNATURE) {
            assert.fail(`heavy batch ${batch.batchId} index ${index}: ${receipt.status} ${receipt.rejectMessage}`);
          }
          refused += 1;
        } else {
          if (receipt.status !== ReceiptStatus.COMMITTED) assert.fail(`batch ${batch.batchId} index ${index}: ${receipt.rejectMessage}`);
          model.applyCommittedTransfer(transaction);
          committed += 1;
        }
      });
    };
    const started = performance.now();
    // Every stream writes back to back and never waits for a receipt: only the node's flow
    // control slows the writes down.
    await Promise.all(streams.map((batches) => streamBatches(client, batches, onAnswered)));
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    samples.push(memoryOf(pid));
    const peakResident = Math.max(...samples.map((sample) => sample.residentBytes));
    const peakAnonymous = Math.max(...samples.map((sample) => sample.anonymousBytes));
    t.diagnostic(
      `64-record rings: ${megabytes(sentBytes)} MB of batches (${refused} refused, ${committed} committed) in ${seconds.toFixed(1)} s; ` +
        `node VmRSS ${megabytes(idle.residentBytes)} MB idle, peak ${megabytes(peakResident)} MB; ` +
        `RssAnon ${megabytes(idle.anonymousBytes)} MB idle, peak ${megabytes(peakAnonymous)} MB (${samples.length} samples)`,
    );
    assert.equal(refused, heavyBatchCount * heavyBatchSize, 'every heavy transaction answered');
    assert.equal(committed, heavyBatchCount * lightBatchSize, 'every light transaction answered');
    assert.ok(
      peakAnonymous < anonymousBytesMax,
      `node memory (RssAnon) peaked at ${megabytes(peakAnonymous)} MB, ${megabytes(peakAnonymous - idle.anonymousBytes)} MB over idle, ` +
        `while clients sent ${megabytes(sentBytes)} MB; the node should stop reading instead of queueing`,
    );
    for (const id of ids) {
      const account = await client.transaction.getAccount({ accountId: id });
      assert.equal(account.nonce, model.nonces.get(hex(id)) ?? 0n, `nonce of ${hex(id)}`);
      assert.equal(account.balance, model.balances.get(hex(id)), `balance of ${hex(id)}`);
    }
  } finally {
    clearInterval(sampler);
    client.close();
    await node.stop('SIGTERM');
    node.cleanup();
  }
});
