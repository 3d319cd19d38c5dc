import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSection } from '../../bench/crypto/markdown-section.js';
import { formatLimitsSection, limitsMarkers } from '../../bench/limits/section.js';
import { headlineLimits, runLimitsSuite } from '../../bench/limits/suite.js';

test('the suite runs every limit and its section replaces only the limits markers', async () => {
  const report = await runLimitsSuite({
    grpcDurationMs: 200,
    lmdbDurationMsPerCase: 200,
    verificationDurationMsPerCase: 200,
    verificationThreadCounts: [1],
    grpcConfigurations: [{ signatureMode: 'batch-signed', clientThreads: 1, connectionsPerThread: 1, streamsPerConnection: 1, batchesInFlightPerStream: 1 }],
  });
  const headline = headlineLimits(report);
  assert.ok(headline.grpcBatchSigned !== undefined && headline.grpcBatchSigned.transactionsPerSecond > 0);
  assert.equal(headline.grpcPerTransaction, undefined, 'no per-transaction configuration was run');
  assert.ok(headline.ledgerCommitTransactionsPerSecond > 0 && headline.rawLmdbTransactionsPerSecond > 0);
  assert.ok(headline.fsyncedEntryCommitsPerSecond > 0 && headline.fileFdatasyncCommitsPerSecond > 0);
  assert.ok((headline.verifyPerSecondOneThread ?? 0) > 0 && (headline.batchVerifyTransactionsPerSecondOneThread ?? 0) > 0);
  assert.ok((headline.sha256SigningBytesPerSecondOneThread ?? 0) > 0);
  assert.equal(headline.verifyPerSecondAllThreads?.threads, 1);

  const section = formatLimitsSection(report, 'npm run bench:limits');
  assert.match(section, /^## Limits on this machine/);
  assert.match(section, /Command: `npm run bench:limits` · Node\.js v\d+/);
  assert.match(section, /\| batch-signed \*\*\(limit\)\*\* \| 1 client thread × 1 connection × 1 stream × 1 in flight \|/);
  assert.match(section, /\| ledger `commitBlock`/);
  assert.match(section, /\| ML-DSA-65 verify \(per-transaction signature\) \| 1 \|/);

  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'limits-section-'));
  try {
    const file = path.join(directory, 'BENCHMARKS.md');
    const other = '<!-- bench:crypto:start -->\ncrypto figures\n<!-- bench:crypto:end -->';
    fs.writeFileSync(file, `# Benchmarks\n\n${other}\n\n${limitsMarkers.start}\nold limits\n${limitsMarkers.end}\n`);
    writeSection(file, limitsMarkers, section);
    const written = fs.readFileSync(file, 'utf8');
    assert.ok(written.includes(other), 'the other section is left as it was');
    assert.ok(!written.includes('old limits'));
    assert.ok(written.includes(`${limitsMarkers.start}\n${section}\n${limitsMarkers.end}`));
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
});
