import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSoakSection, parseSoakResult, parseSoakSummary, type SoakRecordResult, type SoakRecordSummary } from '../../bench/soak/section.js';

const result: SoakRecordResult = {
  command: 'aurigraph soak --duration 10m --rate 2000',
  verdict: 'PASS',
  reasons: [],
  warnings: ['segment 3: the generator did not keep its schedule'],
  ratePerSecond: 2000,
  durationSec: 612.9,
  committedPerSecond: 1987.6,
  workload: { signatureMode: 'batch-signed', streams: 4, batchSize: 64, receiverSkew: 1 },
  audit: { transactionsSent: 1_200_128, receiptsReceived: 1_200_128, committed: 1_200_128, rejected: 0, failed: 0, missingReceipts: 0, duplicateReceipts: 0, unexpectedReceipts: 0 },
  checkpoints: [
    { elapsedSec: 0, height: '0', consistent: true },
    { elapsedSec: 150, height: '4700', consistent: true },
  ],
  memory: { status: 'bounded', slopeBytesPerHour: 3 * 2 ** 20, slopeBoundBytesPerHour: 700 * 2 ** 20, windowStartSec: 306, windowEndSec: 612, sampleCount: 300 },
  nodeRss: { peakBytes: 240.9 * 2 ** 20, finalBytes: 231 * 2 ** 20 },
};
const latency = { count: 18_752, p50Us: 1_999.9, p90Us: 4_100, p99Us: 11_990, p999Us: 24_999, maxUs: 61_000 };
const summary: SoakRecordSummary = { corrected: latency, uncorrected: { ...latency, p50Us: 1_500 }, intervals: new Array(62).fill({}) };

test('the soak section shows the verdict, the receipt audit, the latency and the memory trend from the files, truncated', () => {
  const section = formatSoakSection({ result, summary, machineLine: 'Node.js v24', startedAt: '2026-11-28T23:00:00.000Z', benchCommand: 'npm run bench:soak -- --duration 10m', reportFolder: 'docs/soak/2026-11-28-10m' });
  assert.match(section, /\*\*Verdict: PASS\*\*/);
  assert.match(section, /\| duration \| 10 min 12 s \(62 intervals\) \|/);
  assert.match(section, /\| transactions sent \/ receipts \| 1,200,128 \/ 1,200,128 \|/);
  assert.match(section, /\| balance checkpoints conserved \| 2 of 2 \(last at height 4700\) \|/);
  assert.match(section, /\| corrected \(from the intended send time\) \| 18,752 \| 1.99 ms \| 4.10 ms \| 11.99 ms \| 24.99 ms \| 61.00 ms \|/);
  assert.match(section, /\| node VmRSS peak \/ final \| 240 MiB \/ 231 MiB \|/);
  assert.match(section, /\*\*bounded\*\*, 3 MiB per hour against a bound of 700 MiB per hour/);
  assert.match(section, /\[docs\/soak\/2026-11-28-10m\/soak\.html\]\(docs\/soak\/2026-11-28-10m\/soak\.html\)/);
  assert.match(section, /- segment 3: the generator did not keep its schedule/);
});

test('a failed soak shows its reasons beside the verdict', () => {
  const failed: SoakRecordResult = { ...result, verdict: 'FAIL', reasons: ['3 receipts missing'] };
  const section = formatSoakSection({ result: failed, summary, machineLine: 'm', startedAt: 's', benchCommand: 'c', reportFolder: 'docs/soak/x' });
  assert.match(section, /\*\*Verdict: FAIL\*\* — 3 receipts missing/);
});

test('files that are not a soak output are refused naming the missing field', () => {
  const { audit, ...withoutAudit } = result;
  assert.equal(audit.committed, 1_200_128);
  assert.throws(() => parseSoakResult(JSON.stringify(withoutAudit), 'soak-result.json'), /soak-result\.json: expected "audit" to be a object/);
  assert.throws(() => parseSoakResult(JSON.stringify({ ...result, verdict: 'MAYBE' }), 'soak-result.json'), /expected PASS or FAIL/);
  assert.throws(() => parseSoakSummary(JSON.stringify({ corrected: { count: 1 }, intervals: [] }), 'soak.json'), /soak\.json: expected "p50Us" to be a number/);
  assert.equal(parseSoakResult(JSON.stringify(result), 'soak-result.json').audit.committed, 1_200_128);
});
