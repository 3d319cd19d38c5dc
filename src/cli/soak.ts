/**
 * `aurigraph soak`: a long open-loop run with invariant checks and a verdict (src/soak). This
 * file reads flags, opens the target (starting nodes unless --address is given) and prints.
 */
import os from 'node:os';
import path from 'node:path';
import { selectSignatureBackend } from '../crypto/index.js';
import { AurigraphError } from '../errors.js';
import { openLoadTarget } from '../loadgen/transactions/load-target.js';
import { DEFAULT_MEMORY_ALLOWANCE_BYTES } from '../soak/memory-trend.js';
import { defaultCheckpointEveryMs, runSoak, soakSampleEveryMs } from '../soak/soak-run.js';
import { formatDuration, parseCount, parseDuration, parseNumber } from './duration.js';
import { parseSettings, parseSignatureMode } from './load.js';
import { CliUsageError, parseCommandLine } from './usage.js';

export const SOAK_COMMAND_SUMMARY = 'run open-loop load for hours, check invariants, end with PASS or FAIL';

const help = `Usage: aurigraph soak --duration 24h --rate R [options]

Runs open-loop transfers at R transactions per second for the duration (24h in earnest; 60s in
CI) and checks, as it goes: every transaction gets exactly one receipt and COMMITS; balances of
all genesis accounts plus the fee account sum to the genesis total at every checkpoint (the
schedule pauses, receipts drain, balances are read); the node's private memory (RssAnon) does not
grow: a least-squares line over the second half of the run (at most its last 4 hours) may rise by
at most --memory-allowance plus 10% of its level across that window. Ends with PASS or FAIL.

A live line on a terminal (elapsed, remaining, rate, P99, errors); plain lines otherwise.
Every interval a snapshot is appended and fsynced to --out/soak-snapshots.jsonl. At the end:
soak.hlog, soak.json, soak.html (report) and soak-result.json (verdict, checks).

Target: started here unless --address is given.
  --address A[,B,C]      attach to running node(s) (memory is read when they are on this machine)
  --nodes N              nodes to start: 1 (default) or a cluster of N on loopback
  --profile NAME         profile of started nodes (default: soak)
  --set PATH=VALUE       extra setting for started nodes (repeatable)
  --genesis FILE         the genesis the node runs (its derived-key accounts are used)
  --accounts N           accounts in the genesis written for started nodes (default 1000)
Load:
  --duration D           how long (required): 24h, 90m, 60s
  --rate R               transactions per second (required)
  --signatures MODE      batch (default) or per-tx
  --batch-size N         transfers per batch (default 64)
  --streams N            streams, each on its own connection (default 4)
  --skew S               Zipf exponent of receivers (default 1)
Checks and output:
  --interval D           snapshot and histogram interval (default 10s)
  --checkpoint-every D   balance checkpoint period (default: a quarter of the run, 10s to 1h)
  --memory-allowance MIB growth allowed across the memory window, plus 10% of the
                         level at its start (default ${DEFAULT_MEMORY_ALLOWANCE_BYTES / 1048576})
  --timeout D            a batch without all its receipts after this fails (default 60s)
  --prepare-threads N    threads preparing batches during the run (default 1)
  --out DIR              output folder (default ./soak-<time>)
  --keep-data            keep started nodes' data folders
  --help                 show this help

Exit code 0 for PASS, 1 for FAIL, 2 for usage errors. SIGINT ends the soak early with a verdict.
`;

const options = {
  address: { type: 'string' },
  nodes: { type: 'string' },
  profile: { type: 'string' },
  set: { type: 'string', multiple: true },
  genesis: { type: 'string' },
  accounts: { type: 'string' },
  duration: { type: 'string' },
  rate: { type: 'string' },
  signatures: { type: 'string' },
  'batch-size': { type: 'string' },
  streams: { type: 'string' },
  skew: { type: 'string' },
  interval: { type: 'string' },
  'checkpoint-every': { type: 'string' },
  'memory-allowance': { type: 'string' },
  timeout: { type: 'string' },
  'prepare-threads': { type: 'string' },
  out: { type: 'string' },
  'keep-data': { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

export async function runSoakCommand(args: string[]): Promise<number> {
  const { values } = parseCommandLine(args, options);
  if (values.help) {
    process.stdout.write(help);
    return 0;
  }
  if (values.duration === undefined) throw new CliUsageError('--duration is required (e.g. 24h, or 60s for a short run)');
  if (values.rate === undefined) throw new CliUsageError('--rate is required: transactions per second');
  const durationMs = parseDuration('--duration', values.duration);
  const ratePerSecond = parseNumber('--rate', values.rate, 1);
  const attach = values.address !== undefined;
  if (attach && (values.nodes !== undefined || values.accounts !== undefined || values.profile !== undefined || values.set !== undefined)) {
    throw new CliUsageError('--nodes, --accounts, --profile and --set are for nodes the soak starts; drop them with --address');
  }
  if (values.genesis !== undefined && values.accounts !== undefined) throw new CliUsageError('give --genesis FILE or --accounts N, not both');
  const signatureMode = parseSignatureMode(values.signatures);
  const intervalMs = values.interval === undefined ? 10_000 : parseDuration('--interval', values.interval);
  const checkpointEveryMs = values['checkpoint-every'] === undefined ? defaultCheckpointEveryMs(durationMs) : parseDuration('--checkpoint-every', values['checkpoint-every']);
  const outDir = path.resolve(values.out ?? `soak-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const backend = selectSignatureBackend('auto');
  const stop = new AbortController();
  const onSignal = () => stop.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);

  let target;
  try {
    target = await openLoadTarget(
      {
        signatureMode,
        ...(attach ? { addresses: values.address!.split(',').map((address) => address.trim()) } : { startNodes: parseCount('--nodes', values.nodes ?? '1') }),
        profile: values.profile ?? 'soak',
        settings: parseSettings(values.set),
        ...(values.genesis === undefined ? {} : { genesisFile: path.resolve(values.genesis) }),
        ...(values.genesis === undefined && !attach ? { accounts: parseCount('--accounts', values.accounts ?? '1000', 2) } : {}),
        keepData: values['keep-data'] ?? false,
        runtimeReportIntervalMs: soakSampleEveryMs(durationMs, intervalMs),
      },
      backend,
    );
  } catch (error) {
    process.removeListener('SIGINT', onSignal);
    if (error instanceof AurigraphError) {
      process.stderr.write(`aurigraph soak: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  try {
    process.stdout.write(
      `soak: ${formatDuration(durationMs)} at ${ratePerSecond.toLocaleString('en-US')} tx/s against ${target.leader}` +
        `${target.nodes.length > 0 ? ` (started ${target.nodes.length} node${target.nodes.length === 1 ? '' : 's'})` : ''}, ${target.accounts.count} accounts, checkpoints every ${formatDuration(checkpointEveryMs)}; files in ${outDir}\n`,
    );
    const result = await runSoak({
      target,
      workload: {
        signatureMode,
        streams: parseCount('--streams', values.streams ?? '4'),
        batchSize: parseCount('--batch-size', values['batch-size'] ?? '64'),
        receiverSkew: parseNumber('--skew', values.skew ?? '1', 0),
      },
      durationMs,
      ratePerSecond,
      intervalMs,
      checkpointEveryMs,
      outDir,
      operationTimeoutMs: values.timeout === undefined ? 60_000 : parseDuration('--timeout', values.timeout),
      memoryAllowanceBytes: values['memory-allowance'] === undefined ? DEFAULT_MEMORY_ALLOWANCE_BYTES : parseNumber('--memory-allowance', values['memory-allowance'], 0) * 1048576,
      prepareThreads: values['prepare-threads'] === undefined ? Math.min(1, os.availableParallelism()) : parseCount('--prepare-threads', values['prepare-threads']),
      output: process.stdout,
      signal: stop.signal,
      command: `aurigraph ${['soak', ...args].join(' ')}`,
    });
    const summary = result.files.summary;
    process.stdout.write(
      `${result.verdict.verdict}: ${summary.completedCount.toLocaleString('en-US')} batches answered in ${summary.durationSec.toFixed(0)} s, ` +
        `latency P50 ${(summary.corrected.p50Us / 1000).toFixed(2)} ms, P99 ${(summary.corrected.p99Us / 1000).toFixed(2)} ms, P99.9 ${(summary.corrected.p999Us / 1000).toFixed(2)} ms\n`,
    );
    for (const reason of result.verdict.reasons) process.stdout.write(`  FAIL: ${reason}\n`);
    for (const warning of result.verdict.warnings) process.stdout.write(`  warning: ${warning}\n`);
    if (result.memory !== null) process.stdout.write(`  memory: ${result.memory.explanation}\n`);
    process.stdout.write(`wrote ${result.snapshotPath}, ${result.files.reportPath}, ${result.files.resultPath}\n`);
    return result.verdict.verdict === 'PASS' ? 0 : 1;
  } catch (error) {
    if (error instanceof AurigraphError) {
      process.stderr.write(`aurigraph soak: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    await target.close();
  }
}
