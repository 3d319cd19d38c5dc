import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReceiptStatus } from '../../src/generated/aurigraph.js';
import { ReceiptTally } from '../../src/loadgen/transactions/receipt-tally.js';
import { judgeMemoryTrend } from '../../src/soak/memory-trend.js';
import { judgeSoak, type BalanceCheckpoint, type SoakObservations } from '../../src/soak/soak-verdict.js';

const coordinatesOf = (batchId: number) => ({ stream: 0, batchNumber: batchId - 1 });
const noMessage = () => '';

/** A stream of `batches` batches of `size`, with every receipt except those `skip` names. */
function tallyOf(batches: number, size: number, skip: (batch: number, index: number) => boolean = () => false, repeat = 0): ReceiptTally {
  const tally = new ReceiptTally(1, coordinatesOf);
  for (let batch = 0; batch < batches; batch++) {
    tally.sent(0, batch, size);
    for (let index = 0; index < size; index++) {
      if (skip(batch, index)) continue;
      tally.receive(0, batch + 1, index, ReceiptStatus.COMMITTED, 0, noMessage);
      if (repeat > 0 && batch === 0 && index === 0) for (let again = 0; again < repeat; again++) tally.receive(0, 1, 0, ReceiptStatus.COMMITTED, 0, noMessage);
    }
  }
  return tally;
}

const conserved: BalanceCheckpoint[] = [
  { index: 0, elapsedSec: 0, height: '0', total: '1000', expected: '1000', consistent: true },
  { index: 1, elapsedSec: 60, height: '90', total: '1000', expected: '1000', consistent: true },
];
const flatMemory = judgeMemoryTrend(Array.from({ length: 60 }, (_, t) => ({ t, bytes: 300 * 2 ** 20 + (t % 3) * 2 ** 20 })), 60);

function observations(overrides: Partial<SoakObservations> = {}): SoakObservations {
  return {
    audit: tallyOf(10, 8).audit(),
    batchErrors: 0,
    batchErrorMessages: [],
    streamFailures: [],
    checkpointFailures: [],
    checkpoints: conserved,
    memory: flatMemory,
    nodeExits: [],
    generatorWarnings: [],
    ...overrides,
  };
}

test('every invariant held: PASS with no reasons', () => {
  const verdict = judgeSoak(observations());
  assert.equal(verdict.verdict, 'PASS');
  assert.deepEqual(verdict.reasons, []);
});

test('a stream with one missing receipt: FAIL naming the missing transaction count', () => {
  const audit = tallyOf(10, 8, (batch, index) => batch === 6 && index === 3).audit();
  const verdict = judgeSoak(observations({ audit }));
  assert.equal(verdict.verdict, 'FAIL');
  assert.match(verdict.reasons.join('\n'), /1 of 80 transactions sent never got a receipt/);
});

test('a receipt delivered twice: FAIL', () => {
  const verdict = judgeSoak(observations({ audit: tallyOf(3, 4, undefined, 1).audit() }));
  assert.equal(verdict.verdict, 'FAIL');
  assert.match(verdict.reasons.join('\n'), /1 duplicate receipts/);
});

test('balances that do not sum to the genesis total at a checkpoint: FAIL saying by how much', () => {
  const checkpoints = [...conserved, { index: 2, elapsedSec: 120, height: '180', total: '997', expected: '1000', consistent: false }];
  const verdict = judgeSoak(observations({ checkpoints }));
  assert.equal(verdict.verdict, 'FAIL');
  assert.match(verdict.reasons.join('\n'), /checkpoint 2 .* sum to 997, not the genesis total 1000 \(off by -3\)/);
});

test('memory rising past the bound in the second half: FAIL; memory not measurable: a warning only', () => {
  const leaking = judgeMemoryTrend(Array.from({ length: 120 }, (_, t) => ({ t, bytes: 300 * 2 ** 20 + t * 4 * 2 ** 20 })), 120);
  assert.equal(leaking.status, 'growing');
  const failed = judgeSoak(observations({ memory: leaking }));
  assert.equal(failed.verdict, 'FAIL');
  assert.match(failed.reasons.join('\n'), /memory grows/);
  const unmeasured = judgeSoak(observations({ memory: null }));
  assert.equal(unmeasured.verdict, 'PASS');
  assert.match(unmeasured.warnings.join('\n'), /memory not checked/);
});

test('a batch that timed out, a broken stream, a checkpoint that could not read, a node that exited: each a reason to FAIL', () => {
  const verdict = judgeSoak(observations({ batchErrors: 2, batchErrorMessages: ['OperationTimeoutError: late'], streamFailures: ['stream 1: reset'], checkpointFailures: ['the balance checkpoint at 590 s could not read the balances: 14 UNAVAILABLE'], nodeExits: ['node 127.0.0.1:9 exited with code 1'] }));
  assert.equal(verdict.verdict, 'FAIL');
  assert.equal(verdict.reasons.length, 4);
  assert.match(verdict.reasons.join('\n'), /checkpoint at 590 s could not read the balances/);
});
