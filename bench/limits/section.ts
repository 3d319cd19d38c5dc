/**
 * The BENCHMARKS.md section of the limits: the machine and its load at start and end, the
 * command, and per limit the exact configuration beside every figure. Figures are truncated,
 * never rounded up (bench/common/format.ts).
 */
import type { SectionMarkers } from '../crypto/markdown-section.js';
import { formatFigure, formatMegabytesPerSecond, formatMicroseconds } from '../common/format.js';
import { formatMachine, formatMachineLoad } from '../common/machine.js';
import type { LatencyStats } from '../../src/report/index.js';
import type { RawGrpcStreamResult } from './grpc-stream.js';
import type { BlockWritesMeasurement, FsyncedCommitsMeasurement } from './lmdb-writes.js';
import { describeGrpcConfiguration, headlineLimits, type LimitsReport } from './suite.js';

export const limitsMarkers: SectionMarkers = {
  start: '<!-- bench:limits:start -->',
  end: '<!-- bench:limits:end -->',
};

const count = (value: number): string => value.toLocaleString('en-US');
const cores = (value: number | undefined): string => (value === undefined ? 'n/a' : value.toFixed(2));
const latencies = (stats: LatencyStats): string[] => [stats.p50Us, stats.p99Us, stats.p999Us, stats.maxUs].map(formatMicroseconds);

function grpcClient(run: RawGrpcStreamResult): string {
  const configuration = run.configuration;
  return describeGrpcConfiguration(configuration).replace(`${configuration.signatureMode}, `, '');
}

function grpcRows(report: LimitsReport): string[] {
  const headline = headlineLimits(report);
  return report.grpc.map((run) => {
    const isLimit = run === headline.grpcBatchSigned?.run || run === headline.grpcPerTransaction?.run;
    const errors = run.errorCount === 0 ? '' : ` (${count(run.errorCount)} errors: ${run.errorMessages.join('; ')})`;
    return (
      `| ${run.configuration.signatureMode}${isLimit ? ' **(limit)**' : ''} | ${grpcClient(run)}${errors} | ${count(run.configuration.batchesInFlightTotal)} | ` +
      `${formatFigure(run.batchesPerSecond)} | ${formatFigure(run.transactionsPerSecond)} | ${formatMegabytesPerSecond(run.requestBytesPerSecond)} | ` +
      `${latencies(run.batchRoundTrip).join(' | ')} | ${cores(run.serverCoresBusy)} | ${cores(run.clientCoresBusy)} |`
    );
  });
}

function blockRow(name: string, options: string, measurement: BlockWritesMeasurement): string {
  return (
    `| ${name} | ${options} | ${count(measurement.blocks)} blocks (bound: ${measurement.boundBy}) | ${formatFigure(measurement.transactionsPerSecond)} | ` +
    `${formatFigure(measurement.blocksPerSecond)} | ${latencies(measurement.blockCommit).join(' | ')} |`
  );
}

function fsyncRow(name: string, options: string, measurement: FsyncedCommitsMeasurement): string {
  return (
    `| ${name} | ${options} | ${count(measurement.commits)} commits (bound: ${measurement.boundBy}) | ${formatFigure(measurement.transactionsPerSecond)} | ` +
    `${formatFigure(measurement.commitsPerSecond)} | ${latencies(measurement.commit).join(' | ')} |`
  );
}

const verificationNames: Record<string, string> = {
  'ml-dsa-65-verify': 'ML-DSA-65 verify (per-transaction signature)',
  'batch-verify': 'batch verify: Merkle root + 1 ML-DSA-65 verify',
  'signing-bytes-sha256': 'SHA-256 of the signing bytes (transactionHash)',
};

export function formatLimitsSection(report: LimitsReport, command: string): string {
  const { machineAtStart, machineAtEnd, lmdb, verification } = report;
  const headline = headlineLimits(report);
  const firstGrpc = report.grpc[0];
  const batchBytesOf = (mode: string) => report.grpc.find((run) => run.configuration.signatureMode === mode)?.configuration.batchBytes;
  const serverOptions = firstGrpc === undefined ? '' : Object.entries(firstGrpc.configuration.serverOptions).map(([key, value]) => `${key}=${String(value)}`).join(', ');
  const lines: string[] = [
    '## Limits on this machine (`bench/limits/run.ts`)',
    '',
    `Command: \`${command}\` · ${formatMachine(machineAtStart)} · run ${machineAtStart.takenAt.slice(0, 10)}, ${report.elapsedSec.toFixed(0)} s · ` +
      `at start: ${formatMachineLoad(machineAtStart)}; at end: ${formatMachineLoad(machineAtEnd)}`,
    '',
    'What no node can beat here: the ingest benchmark reports its figures as ratios against these. Every limit runs in',
    'processes of its own, started by the harness one at a time; the harness itself only waits. The machine is shared,',
    'so the load figures above say how much of it other work took. Figures are truncated, never rounded up.',
    '',
    '### Raw gRPC stream, no processing',
    '',
    `Server: a separate process hosting only \`StreamTransactions\` of \`RawTransactionServiceDefinition\` with the \`${firstGrpc?.configuration.profile ?? 'bench'}\` ` +
      `profile's server options (${serverOptions}); it answers each TxBatch at once with one pre-encoded ReceiptBatch of ` +
      `${count(firstGrpc?.configuration.transactionsPerBatch ?? 0)} COMMITTED receipts (${count(firstGrpc?.configuration.receiptBatchBytes ?? 0)} bytes, \`encodeReceiptBatch\`): ` +
      'the bytes the node sends, nothing decoded, verified, ordered or stored.',
    `Client: a separate process; a closed loop (src/loadgen) over generator worker threads, each connection its own HTTP/2 connection. ` +
      `Batches: ${count(firstGrpc?.configuration.transactionsPerBatch ?? 0)} transfers (32-byte ids, fixed64 amount/nonce/fee); batch-signed ` +
      `${count(batchBytesOf('batch-signed') ?? 0)} bytes (one 3,309-byte ML-DSA-65 batch signature), per-transaction ` +
      `${count(batchBytesOf('per-transaction') ?? 0)} bytes (a 3,309-byte signature on each transfer).`,
    `Each configuration: ${count(firstGrpc?.configuration.warmupMs ?? 0)} ms warm-up, then ${count(firstGrpc?.configuration.durationMs ?? 0)} ms measured. ` +
      'Round trip = write of a batch to arrival of its receipts (HDR, µs, 3 significant digits). MB/s counts TxBatch bytes (10^6). ' +
      'Cores = CPU seconds per wall second of that process over the measured run.',
    '',
    '| Signatures | Client | Batches in flight | batches/s | tx/s | requests | P50 | P99 | P99.9 | max | server cores | client cores |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...grpcRows(report),
    '',
  ];
  if (headline.grpcBatchSigned !== undefined) {
    lines.push(`Limit, batch-signed: **${formatFigure(headline.grpcBatchSigned.transactionsPerSecond)} tx/s** (${describeGrpcConfiguration(headline.grpcBatchSigned.run.configuration)}).`);
  }
  if (headline.grpcPerTransaction !== undefined) {
    lines.push(
      `Limit, per-transaction signatures: **${formatFigure(headline.grpcPerTransaction.transactionsPerSecond)} tx/s, ` +
        `${formatMegabytesPerSecond(headline.grpcPerTransaction.requestBytesPerSecond)}** (${describeGrpcConfiguration(headline.grpcPerTransaction.run.configuration)}).`,
    );
  }
  const configuration = lmdb.configuration;
  lines.push(
    '',
    '### LMDB writes',
    '',
    `One child process; LMDB files in a temporary directory on ${configuration.fileSystem}. Block writes: one LMDB transaction per block of ` +
      `${count(configuration.transactionsPerBlock)} transfers among ${count(configuration.accountCount)} accounts (one untimed pass creates them all first); ` +
      `per transfer 2 account records of ${configuration.accountRecordBytes} bytes (one registered key), one ${configuration.transactionRecordBytes}-byte ` +
      'transaction record (receipt + stored bytes), one tx-hash index entry (random 32-byte hash); per block the block record and the head.',
    `Fsynced appends: one ${count(configuration.logEntryBytes)}-byte entry per commit (a log entry of ${count(configuration.transactionsPerBlock)} transfers: ` +
      `128-byte header + 128-byte compact record each), the Raft log's durability (one fsynced write per group); tx/s = commits/s × ${count(configuration.transactionsPerBlock)}.`,
    `Only the write (and its sync) is timed; building the synthetic records is not. Each case: ${count(configuration.durationMsPerCase)} ms of wall time or ` +
      `${count(configuration.diskBytesMaxPerCase / 2 ** 20)} MiB written, whichever comes first.`,
    '',
    '| Case | Options | Done | tx/s | commits/s | P50 | P99 | P99.9 | max |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    blockRow('ledger `commitBlock` (src/ledger, synthetic executions)', 'noSync, writemap (as openLedgerStore)', lmdb.ledgerCommitBlock),
    blockRow('raw lmdb-js puts, same records', 'noSync, writemap', lmdb.rawLmdbBlock),
    fsyncRow('LMDB entry + hard state, one synchronous transaction (as src/consensus/lmdb-log-storage.ts)', 'noSync off, overlappingSync off', lmdb.lmdbSyncedEntry),
    fsyncRow('LMDB `put` + `await flushed`', "lmdb-js's default durable env (overlappingSync on)", lmdb.lmdbOverlappingSyncEntry),
    fsyncRow('file append + `fdatasync`', 'plain file, O_APPEND', lmdb.fileAppendFdatasync),
    '',
    `Latency columns are per block (state) or per commit including its sync (appends).`,
    '',
    '### Signature verification and hashing',
    '',
    `One child process; k worker threads start together and repeat the work for ${count(verification.configuration.durationMsPerCase)} ms each; the main thread only waits. ` +
      `Backend: ${verification.configuration.backend}, cached public key (as in the node). Signed message: a transfer's ` +
      `${verification.configuration.signingBytesLength}-byte signing bytes; batch verification covers ${count(verification.configuration.transactionsPerBatch)} ` +
      'precomputed transaction hashes. CPU share = each thread\'s CPU time per wall second (below 1.00: other work took the core).',
    '',
    '| Work | Threads | operations/s | tx/s | thread µs per tx | CPU share per thread |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
  );
  for (const entry of verification.cases) {
    const failures = entry.failures === 0 ? '' : ` (${count(entry.failures)} FAILED)`;
    lines.push(
      `| ${verificationNames[entry.kind] ?? entry.kind}${failures} | ${entry.threads} | ${formatFigure(entry.operationsPerSecond)} | ${formatFigure(entry.transactionsPerSecond)} | ` +
        `${formatFigure(entry.threadMicrosecondsPerTransaction)} | ${entry.perThread.map((thread) => thread.cpuShare.toFixed(2)).join(', ')} |`,
    );
  }
  return lines.join('\n');
}
