/**
 * `npm run bench:peers`: third-party tools beside our node, in one run on this machine.
 *   1. ghz (a third-party gRPC load tool) against one node's TransactionService/SubmitBatch,
 *      replaying one pre-built batch-signed TxBatch; beside it our own load generator's
 *      committed tx/s for the same batch shape (bench/ingest's IngestBench, closed loop).
 *   2. etcd (Debian's etcd-server, one member on loopback, default fsync durability) driven with
 *      KV.Put by bench/consensus's gRPC driver: etcd's own benchmark tool does not install with
 *      `go install` (3.4 tags are not on the module proxy; 3.5's module has replace directives).
 * Writes BENCHMARKS.md between the bench:peers markers.
 *
 *   node dist/bench/peers/run.js
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '../../src/client/index.js';
import { selectSignatureBackend } from '../../src/crypto/index.js';
import { ReceiptStatus, RejectReason, TxBatch } from '../../src/generated/aurigraph.js';
import { derivedAccountsGenesis, loadAccountsFrom } from '../../src/loadgen/transactions/load-accounts.js';
import { startLocalNode } from '../../src/loadgen/transactions/local-node.js';
import { TransferBatchBuilder } from '../../src/loadgen/transactions/transfer-batch-builder.js';
import { buildPlan } from '../../src/loadgen/transactions/transfer-run.js';
import { protoDir, repoRoot } from '../../src/paths.js';
import { renderGenesis } from '../../src/pipeline/genesis-file.js';
import { runInChildProcess } from '../common/child-process.js';
import { formatFigure, formatMicroseconds, formatRatio } from '../common/format.js';
import { describeMachine, formatMachine, formatMachineLoad } from '../common/machine.js';
import { etcdVersion, startEtcd } from '../consensus/clusters.js';
import type { DriverInput, DriverResult } from '../consensus/driver.js';
import { writeSection } from '../crypto/markdown-section.js';
import { IngestBench, type IngestMeasurement, type WorkloadShapeSpec } from '../ingest/scenarios.js';
import { ensureGhz, ghzModule, runGhz, type GhzRun } from './ghz.js';

const command = 'npm run bench:peers';
const profile = 'bench';
const accountCount = 1024;
const batchSize = 1024;
const ghzDurationSec = 10;
const ghzConcurrency = 8;
const ghzConnections = 4;
const etcdWarmupMs = 2000;
const etcdDurationMs = 10_000;
const peersMarkers = { start: '<!-- bench:peers:start -->', end: '<!-- bench:peers:end -->' };

/** Our load generator on the same batch shape ghz sends: 1,024 batch-signed transfers per batch, 8 in flight. */
const ingestShape: WorkloadShapeSpec = { id: 'batch-signed-1024', signatureMode: 'batch-signed', batchSize, streams: 4, inFlightPerStream: 2, rateGuessPerSecond: 40_000, rateHeadroom: 1.5 };

/** ghz's error messages with socket addresses removed, so the same error on different connections counts once. */
function errorCounts(errorsByMessage: Readonly<Record<string, number>>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [message, count] of Object.entries(errorsByMessage)) {
    const general = message.replace(/\d+\.\d+\.\d+\.\d+:\d+/g, 'ADDRESS');
    counts.set(general, (counts.get(general) ?? 0) + count);
  }
  return counts;
}

const say = (message: string) => console.error(`bench:peers: ${message}`);
const startedNs = process.hrtime.bigint();
const machine = describeMachine();
const ghzBinary = await ensureGhz(say);
const etcdRelease = await etcdVersion();
const backend = selectSignatureBackend('auto');
const workDir = await mkdtemp(path.join(tmpdir(), 'aurigraph-bench-peers-'));

interface ReplayCheck {
  firstCommitted: number;
  replayNonceReused: number;
  replayOther: number;
}

interface EtcdCase {
  valueBytes: number;
  concurrency: number;
  result: DriverResult;
}

let ghz: GhzRun;
let replay: ReplayCheck;
let batchBytes: number;
let transferShareBytes: number;
let ours: IngestMeasurement;
const etcdCases: EtcdCase[] = [];
try {
  const genesis = derivedAccountsGenesis(accountCount, backend);
  const genesisFile = path.join(workDir, 'genesis.yaml');
  await writeFile(genesisFile, renderGenesis(genesis, `${accountCount} benchmark accounts from the published development seeds: INSECURE.`));
  const accounts = loadAccountsFrom(genesis, 'batch-signed', backend);

  // 1. ghz, replaying one batch: the first call commits it, every later one is NONCE_REUSED.
  const plan = buildPlan(accounts, { signatureMode: 'batch-signed', streams: 1, batchSize }, new BigUint64Array(accounts.count));
  const built = new TransferBatchBuilder(plan, backend).build(0, 0);
  batchBytes = built.bytes.length;
  transferShareBytes = Math.ceil(batchBytes / batchSize);
  const binaryFile = path.join(workDir, 'batch.bin');
  await writeFile(binaryFile, built.bytes);
  const node = await startLocalNode({ profile, genesisFile, dataDir: path.join(workDir, 'ghz-node') });
  try {
    const client = createClient(node.address, { deadlineMs: 30_000 });
    try {
      const batch = TxBatch.decode(built.bytes);
      const first = await client.transaction.submitBatch(batch);
      say(`node at ${node.address}; running ghz ${ghzDurationSec} s`);
      ghz = await runGhz({ binary: ghzBinary, address: node.address, protoRoot: protoDir, binaryFile, concurrency: ghzConcurrency, connections: ghzConnections, durationSec: ghzDurationSec, skipFirst: 100 });
      const again = await client.transaction.submitBatch(batch);
      replay = {
        firstCommitted: first.receipts.filter((receipt) => receipt.status === ReceiptStatus.COMMITTED).length,
        replayNonceReused: again.receipts.filter((receipt) => receipt.rejectReason === RejectReason.NONCE_REUSED).length,
        replayOther: again.receipts.filter((receipt) => receipt.rejectReason !== RejectReason.NONCE_REUSED).length,
      };
    } finally {
      client.close();
    }
  } finally {
    await node.stop();
  }

  // Our own generator, distinct batches (fresh nonces), same batch shape and calls in flight.
  const bench = new IngestBench({ accounts, genesisFile, workDir: path.join(workDir, 'ingest'), profile, prepareThreads: 2, onProgress: say });
  ours = await bench.peak(ingestShape, 1, 3000, 10_000);

  // 2. etcd, one member, puts of a transfer's size and of the whole batch's size.
  for (const [valueBytes, concurrency] of [[transferShareBytes, 64], [batchBytes, 8]] as const) {
    const etcd = await startEtcd(1, path.join(workDir, `etcd-${valueBytes}`));
    try {
      say(`etcd put ${valueBytes} bytes, ${concurrency} in flight`);
      const input: DriverInput = { system: 'etcd', address: etcd.leaderAddress, entryBytes: valueBytes, concurrency, warmupMs: etcdWarmupMs, durationMs: etcdDurationMs };
      const result = await runInChildProcess<DriverInput, DriverResult>({ module: new URL('../consensus/driver.js', import.meta.url), label: 'etcd driver', input, timeoutMs: etcdWarmupMs + etcdDurationMs + 60_000 });
      etcdCases.push({ valueBytes, concurrency, result });
    } finally {
      await etcd.stop();
    }
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}

const machineAtEnd = describeMachine();
const elapsedSec = Number(process.hrtime.bigint() - startedNs) / 1e9;
const ms = (valueMs: number | undefined) => (valueMs === undefined ? 'n/a' : formatMicroseconds(valueMs * 1000));
const oursPerSecond = ours.committedPerSecond;
const oursBatchesPerSecond = oursPerSecond / batchSize;
const ghzTransfersPerSecond = ghz.requestsPerSecond * batchSize;
const statuses = Object.entries(ghz.statusCodes).map(([code, count]) => `${code} ${count.toLocaleString('en-US')}`).join(', ');
const errors = [...errorCounts(ghz.errors)].map(([message, count]) => `${count} × \`${message}\``).join('; ');
const etcdRows = etcdCases.map(({ valueBytes, concurrency, result }) => {
  const putsPerSecond = (result.committed * 1000) / result.durationMs;
  const ratio = valueBytes === batchBytes ? `batches/s ${formatFigure(oursBatchesPerSecond)} / puts/s: ${formatRatio(oursBatchesPerSecond, putsPerSecond)}` : `tx/s / puts/s: ${formatRatio(oursPerSecond, putsPerSecond)}`;
  return (
    `| ${valueBytes.toLocaleString('en-US')} B | ${concurrency} | ${formatFigure(putsPerSecond)} | ${formatMicroseconds(result.latencyUs.p50)} | ${formatMicroseconds(result.latencyUs.p99)} | ` +
    `${formatMicroseconds(result.latencyUs.p999)} | ${formatMicroseconds(result.latencyUs.max)} | ${result.failed} | ${ratio} |`
  );
});

const body = `## Beside third-party tools (\`bench/peers/run.ts\`)

Command: \`${command}\` · ${formatMachine(machine)} · run ${machine.takenAt.slice(0, 10)}, ${Math.floor(elapsedSec)} s · at start: ${formatMachineLoad(machine)}; at end: ${formatMachineLoad(machineAtEnd)}

Everything (node, etcd, ghz, our generator) shares this machine's 2 cores, and the machine is shared with other work (load above); figures are truncated, never rounded up. One node, \`bench\` profile, genesis of ${accountCount.toLocaleString('en-US')} derived accounts.

### ghz against \`TransactionService/SubmitBatch\`

ghz built from \`${ghzModule}\` (installed by this bench with \`go install\` when missing), run as \`ghz ${ghz.args.join(' ').replace(workDir, '$WORK').replace(repoRoot + path.sep, '')}\`: ${ghzConcurrency} calls in flight over ${ghzConnections} connections, ${ghzDurationSec} s, the first 100 calls not counted. The request is one batch-signed TxBatch of ${batchSize.toLocaleString('en-US')} transfers (${batchBytes.toLocaleString('en-US')} bytes, one ML-DSA-65 batch signature) replayed on every call: ghz's \`--data-file\` takes JSON, not one signed binary per call, so distinct batches are not feasible. **So ghz measures intake, decode, Merkle root and batch-signature verification and the nonce check, not ordering or execution**: checked in this run, the batch sent once before ghz committed ${replay.firstCommitted.toLocaleString('en-US')} of ${batchSize.toLocaleString('en-US')}, and the same batch sent again after it got ${replay.replayNonceReused.toLocaleString('en-US')} NONCE_REUSED receipts (${replay.replayOther} other).

| Client | Work per call | calls/s | transfers/s | mean | P50 | P90 | P99 | max | status |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
| ghz | replayed batch, all rejected as NONCE_REUSED | ${formatFigure(ghz.requestsPerSecond)} | ${formatFigure(ghzTransfersPerSecond)} (verified, not committed) | ${ms(ghz.latencyMsMean)} | ${ms(ghz.latencyMsByPercentile.get(50))} | ${ms(ghz.latencyMsByPercentile.get(90))} | ${ms(ghz.latencyMsByPercentile.get(99))} | ${ms(ghz.latencyMsMax)} | ${statuses} |
| ours (\`IngestBench\`, closed loop, ${ingestShape.streams} streams × ${ingestShape.inFlightPerStream} in flight) | distinct batches, committed | ${formatFigure(oursBatchesPerSecond)} | **${formatFigure(oursPerSecond)}** committed | ${formatMicroseconds(ours.latency.meanUs)} | ${formatMicroseconds(ours.latency.p50Us)} | ${formatMicroseconds(ours.latency.p90Us)} | ${formatMicroseconds(ours.latency.p99Us)} | ${formatMicroseconds(ours.latency.maxUs)} | ${ours.audit.committed.toLocaleString('en-US')} receipts COMMITTED, ${ours.audit.rejected} rejected, ${ours.batchErrors} batch errors |

${errors === '' ? 'ghz reported no errors.' : `ghz's errors: ${errors}. "use of closed network connection" is ghz's own side: calls still in flight when it closed its connections at the end of its duration.`}

Our committed transfers/s against ghz's verified-and-rejected transfers/s: ${formatRatio(oursPerSecond, ghzTransfersPerSecond)}. The two differ in more than the client: ghz uses unary calls, ours bidirectional streams; ghz's batches stop at the nonce check, ours are ordered, executed and stored (3 s warm-up, ${(ours.durationSec).toFixed(1)} s measured).

### etcd ${etcdRelease} under put load

etcd's own benchmark tool (\`go.etcd.io/etcd/v3/tools/benchmark\`) does not install with \`go install\`: the 3.4 tags are not on the Go module proxy and 3.5's module has replace directives. The fallback is bench/consensus's load driver (\`driver.ts\`, Node.js gRPC \`KV.Put\`, a closed loop, one key per caller), in a process of its own. One etcd member on loopback (Debian's etcd-server, started as bench/consensus starts it: default durability, the WAL fsynced before a put is acknowledged), fresh per case; ${etcdWarmupMs / 1000} s warm-up, ${etcdDurationMs / 1000} s measured. Value sizes: ${transferShareBytes} B (one transfer's share of the TxBatch above: its bytes / ${batchSize.toLocaleString('en-US')}) and the whole TxBatch.

| Value | In flight | puts/s | P50 | P99 | P99.9 | max | failed | Aurigraph (committed, from the table above) against etcd |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
${etcdRows.join('\n')}

A put is one fsynced, replicated (here: single-member) entry; a batch of ours is ${batchSize.toLocaleString('en-US')} verified, executed and stored transfers in one Raft entry, so the first ratio sets our committed transfers against etcd's puts of a transfer's size, and the second compares entries of the same size (a whole batch against a put of its bytes). Raw Raft proposals against etcd, both through one client: the consensus section above (\`npm run bench:consensus\`).`;

writeSection(path.join(repoRoot, 'BENCHMARKS.md'), peersMarkers, body);
say(`wrote BENCHMARKS.md (bench:peers section) in ${Math.floor(elapsedSec)} s`);
