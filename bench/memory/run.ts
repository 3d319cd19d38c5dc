/**
 * The node's memory at full load, on its own: one node (the `bench` profile) per variant, a
 * client sending batch-signed transfers as fast as the node answers (closed loop, 4 streams of
 * the profile's largest batches, about 32,768 transfers in flight: the ingest benchmark's
 * throughput shape) for `--seconds`, memory read every second from /proc, each thread's V8 heap from the node's `runtime` log lines, and where
 * the resident pages are (smaps) at the end. Variants change settings (`--set` overrides) and
 * may run the node in a memory cgroup, so knobs are compared in one run on one machine.
 * Writes BENCHMARKS.md between the bench:memory markers with --write.
 *
 *   node dist/bench/memory/run.js [--seconds N] [--variant NAME[@MiB]:PATH=VALUE,…]… [--json FILE] [--write]
 *     --variant     repeatable; NAME@256 runs that variant in a cgroup v1 memory group of 256 MiB
 *                   (root only). Without any: one variant, the profile as it is.
 *     --rate-guess  tx/s to prepare batches for (default 60,000; the run ends early if they run out)
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { selectSignatureBackend } from '../../src/crypto/index.js';
import { invalidArgument } from '../../src/errors.js';
import { derivedAccountsGenesis, loadAccountsFrom } from '../../src/loadgen/transactions/load-accounts.js';
import { startLocalNode, type LocalNode } from '../../src/loadgen/transactions/local-node.js';
import { peakThreadHeaps } from '../../src/loadgen/transactions/memory-sampler.js';
import { ReusableWorkload } from '../../src/loadgen/transactions/prepared-workload.js';
import type { ReceiptAudit } from '../../src/loadgen/transactions/receipt-tally.js';
import { buildPlan, driveTransfers } from '../../src/loadgen/transactions/transfer-run.js';
import { repoRoot } from '../../src/paths.js';
import { renderGenesis } from '../../src/pipeline/genesis-file.js';
import { formatFigure, truncate } from '../common/format.js';
import { describeMachine, formatMachine, formatMachineLoad, type MachineDescription } from '../common/machine.js';
import { writeSection, type SectionMarkers } from '../crypto/markdown-section.js';
import { formatNodeMemory, nodeMemoryBoundBytes, summarizeNodeMemory, type NodeMemorySummary } from '../ingest/section.js';
import { createMemoryCgroup, type CgroupUsage } from './cgroup.js';
import { residentByMapping, type MappingGroup } from './smaps.js';

export const memoryMarkers: SectionMarkers = { start: '<!-- bench:memory:start -->', end: '<!-- bench:memory:end -->' };

const profile = 'bench';
const accountCount = 1024;
const prepareThreads = 2;
const streams = 4;
/** The ingest benchmark's throughput shape: the profile's largest batch, ~32,768 transfers in flight. */
const batchSize = loadConfig({ profile, env: {} }).batching.maxBatchTransactions;
const batchesInFlightPerStream = Math.max(1, Math.round(32_768 / (streams * batchSize)));
const warmupMs = 4000;
/** The node logs its threads' heaps this often during a run (log.runtimeReportIntervalMs). */
const heapReportIntervalMs = 2000;

interface Variant {
  readonly name: string;
  readonly settings: Readonly<Record<string, string>>;
  readonly cgroupMib: number | null;
}

interface VariantResult {
  readonly variant: Variant;
  readonly committedPerSecond: number;
  readonly audit: ReceiptAudit;
  readonly sourceExhausted: boolean;
  readonly memory: NodeMemorySummary | null;
  readonly cgroup: CgroupUsage | null;
  readonly mappings: readonly MappingGroup[];
  readonly error: string | null;
}

function parseVariant(text: string): Variant {
  const colon = text.indexOf(':');
  const head = colon < 0 ? text : text.slice(0, colon);
  const [name, mib] = head.split('@');
  const settings: Record<string, string> = {};
  for (const assignment of colon < 0 ? [] : text.slice(colon + 1).split(',').filter(Boolean)) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw invalidArgument('--variant', `expected PATH=VALUE, got '${assignment}'`);
    settings[assignment.slice(0, equals)] = assignment.slice(equals + 1);
  }
  if (!name) throw invalidArgument('--variant', `expected NAME[@MiB]:PATH=VALUE,…, got '${text}'`);
  return { name, settings, cgroupMib: mib === undefined ? null : Number(mib) };
}

function parseArguments(argv: readonly string[]): { seconds: number; variants: Variant[]; jsonFile?: string; write: boolean; rateGuess: number } {
  let seconds = 60;
  let rateGuess = 60_000;
  let jsonFile: string | undefined;
  let write = false;
  const variants: Variant[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    const value = argv[index + 1];
    if (argument === '--write') {
      write = true;
      continue;
    }
    if (value === undefined) throw invalidArgument('arguments', `'${argument}' needs a value`);
    index++;
    if (argument === '--seconds') seconds = Number(value);
    else if (argument === '--rate-guess') rateGuess = Number(value);
    else if (argument === '--json') jsonFile = path.resolve(value);
    else if (argument === '--variant') variants.push(parseVariant(value));
    else throw invalidArgument('arguments', `unexpected '${argument}'; see the header of bench/memory/run.ts`);
  }
  if (!(seconds > 0)) throw invalidArgument('--seconds', 'must be a positive number');
  return { seconds, variants: variants.length > 0 ? variants : [{ name: 'profile', settings: {}, cgroupMib: null }], write, rateGuess, ...(jsonFile === undefined ? {} : { jsonFile }) };
}

const emptyAudit: ReceiptAudit = {
  batchesSent: 0,
  batchesAnswered: 0,
  transactionsSent: 0,
  receiptsReceived: 0,
  committed: 0,
  rejected: 0,
  failed: 0,
  otherStatus: 0,
  missingReceipts: 0,
  duplicateReceipts: 0,
  unexpectedReceipts: 0,
  outcomesByReason: {},
  samples: [],
};

const say = (message: string) => console.error(`bench:memory: ${message}`);
const options = parseArguments(process.argv.slice(2));
const machineAtStart = describeMachine();
const startedNs = process.hrtime.bigint();
const backend = selectSignatureBackend('auto');
const workDir = await mkdtemp(path.join(tmpdir(), 'aurigraph-bench-memory-'));
const results: VariantResult[] = [];
try {
  const genesis = derivedAccountsGenesis(accountCount, backend);
  const genesisFile = path.join(workDir, 'genesis.yaml');
  await writeFile(genesisFile, renderGenesis(genesis, `${accountCount} benchmark accounts from the published development seeds: INSECURE.`));
  const accounts = loadAccountsFrom(genesis, 'batch-signed', backend);
  const plan = buildPlan(accounts, { signatureMode: 'batch-signed', streams, batchSize }, new BigUint64Array(accounts.count));
  const pool = new ReusableWorkload(plan);
  const batchesPerStream = Math.ceil((options.rateGuess * (options.seconds + warmupMs / 1000)) / batchSize / streams) + 1;
  say(`preparing ${(batchesPerStream * streams * batchSize).toLocaleString('en-US')} batch-signed transfers`);
  await pool.extendTo(batchesPerStream, prepareThreads);

  for (const [index, variant] of options.variants.entries()) {
    say(`variant ${variant.name}${variant.cgroupMib === null ? '' : ` in a ${variant.cgroupMib} MiB cgroup`}: ${JSON.stringify(variant.settings)}`);
    const dataDir = path.join(workDir, `run-${index}`);
    const settings = { 'log.runtimeReportIntervalMs': String(heapReportIntervalMs), ...variant.settings };
    const cgroup = variant.cgroupMib === null ? null : createMemoryCgroup(`aurigraph-memory-${process.pid}-${index}`, variant.cgroupMib * 2 ** 20);
    let node: LocalNode;
    try {
      node = await startLocalNode({ profile, dataDir, genesisFile, settings, ...(cgroup === null ? {} : { launcher: cgroup.wrapperCommand }) });
    } catch (error) {
      cgroup?.remove();
      throw error;
    }
    let result: VariantResult;
    try {
      const driven = await driveTransfers(plan, pool, {
        leader: node.address,
        leaderPid: node.pid,
        accounts,
        schedule: { kind: 'closed-loop', batchesInFlightPerStream },
        warmupMs,
        durationMs: options.seconds * 1000,
      });
      const mappings = residentByMapping(node.pid);
      const threadHeaps = peakThreadHeaps(readFileSync(path.join(dataDir, 'node.log'), 'utf8'));
      result = {
        variant,
        committedPerSecond: driven.committedPerSecond,
        audit: driven.audit,
        sourceExhausted: driven.measured.sourceExhausted,
        memory: summarizeNodeMemory(driven.nodeMemory, driven.measured.run.durationSec, threadHeaps),
        cgroup: cgroup?.usage() ?? null,
        mappings,
        error: driven.streamFailures[0] ?? null,
      };
    } catch (error) {
      result = { variant, committedPerSecond: 0, audit: emptyAudit, sourceExhausted: false, memory: null, cgroup: cgroup?.usage() ?? null, mappings: [], error: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
      say(`  failed: ${result.error}\n${node.logTail().slice(-5).join('\n')}`);
    } finally {
      await node.stop();
      cgroup?.remove();
      await rm(dataDir, { recursive: true, force: true });
    }
    results.push(result);
    say(`  ${formatFigure(result.committedPerSecond)} tx/s, peak VmRSS ${mib(result.memory?.peakRssBytes)}, RssAnon ${mib(result.memory?.peakRssAnonBytes)}, RssFile ${mib(result.memory?.peakRssFileBytes)}` +
      (result.cgroup === null ? '' : `, cgroup max usage ${mib(result.cgroup.maxUsageBytes)}, OOM kills ${result.cgroup.oomKills}`));
  }

  const section = formatMemorySection({ machineAtStart, machineAtEnd: describeMachine(), elapsedSec: Number(process.hrtime.bigint() - startedNs) / 1e9, seconds: options.seconds, results, argv: process.argv.slice(2) });
  console.log(section);
  if (options.write) {
    writeSection(path.join(repoRoot, 'BENCHMARKS.md'), memoryMarkers, section);
    say('wrote BENCHMARKS.md');
  }
  if (options.jsonFile !== undefined) await writeFile(options.jsonFile, `${JSON.stringify(results, null, 2)}\n`);
} finally {
  await rm(workDir, { recursive: true, force: true });
}

function mib(bytes: number | undefined): string {
  return bytes === undefined ? '—' : `${formatFigure(bytes / 2 ** 20)} MiB`;
}

function allCommitted(audit: ReceiptAudit): boolean {
  return audit.transactionsSent > 0 && audit.committed === audit.transactionsSent && audit.receiptsReceived === audit.transactionsSent && audit.duplicateReceipts === 0 && audit.unexpectedReceipts === 0;
}

function receiptsNote(result: VariantResult): string {
  if (result.error !== null) return `error: ${result.error}`;
  const { audit } = result;
  const note = allCommitted(audit)
    ? `${audit.committed.toLocaleString('en-US')}, all COMMITTED`
    : `${audit.receiptsReceived.toLocaleString('en-US')} of ${audit.transactionsSent.toLocaleString('en-US')}; ${audit.committed.toLocaleString('en-US')} COMMITTED`;
  return result.sourceExhausted ? `${note}; prepared batches ran out early` : note;
}

function formatMemorySection(report: { machineAtStart: MachineDescription; machineAtEnd: MachineDescription; elapsedSec: number; seconds: number; results: readonly VariantResult[]; argv: readonly string[] }): string {
  const first = report.results[0];
  const lines = [
    '## Node memory at full load (`bench/memory/run.ts`)',
    '',
    `Command: \`node dist/bench/memory/run.js ${report.argv.join(' ')}\` · ${formatMachine(report.machineAtStart)} · run ${new Date().toISOString().slice(0, 10)}, ${truncate(report.elapsedSec, 0)} s · ` +
      `at start: ${formatMachineLoad(report.machineAtStart)}; at end: ${formatMachineLoad(report.machineAtEnd)}`,
    '',
    `One node per variant (\`${profile}\` profile, fresh data folder, ${accountCount} accounts), a closed loop of batch-signed transfers as fast as it answers: ` +
      `${streams} streams × ${batchesInFlightPerStream} batches of ${batchSize.toLocaleString('en-US')} in flight, ${warmupMs / 1000} s warm-up, then ${report.seconds} s measured. ` +
      `Bound: ${formatFigure(nodeMemoryBoundBytes / 2 ** 20)} MiB for the whole node (every thread). A variant with a cgroup runs the node in a cgroup v1 memory group of that size ` +
      '(memory and memory+swap limits; the node starts inside it): the kernel keeps private memory plus the page cache the node brings in (mapped LMDB pages included) under it.',
    '',
    '| Variant | Settings | committed tx/s | vs first | VmRSS peak | RssAnon peak | RssFile peak | cgroup max usage | receipts |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const result of report.results) {
    const settings = Object.entries(result.variant.settings).map(([field, value]) => `${field}=${value}`).join(', ') || 'as the profile';
    const ratio = first !== undefined && first.committedPerSecond > 0 ? `${truncate(result.committedPerSecond / first.committedPerSecond, 2).toFixed(2)}×` : '—';
    const cgroup = result.cgroup === null ? '—' : `${mib(result.cgroup.maxUsageBytes)} of ${mib(result.cgroup.limitBytes)}${result.cgroup.oomKills > 0 ? `, ${result.cgroup.oomKills} OOM kill` : ''}`;
    lines.push(
      `| ${result.variant.name} | ${settings} | ${formatFigure(result.committedPerSecond)} | ${ratio} | ${mib(result.memory?.peakRssBytes)} | ${mib(result.memory?.peakRssAnonBytes)} | ${mib(result.memory?.peakRssFileBytes)} | ${cgroup} | ${receiptsNote(result)} |`,
    );
  }
  for (const result of report.results) {
    if (result.memory === null) continue;
    lines.push('', `### ${result.variant.name}`, '', ...formatNodeMemory(result.memory, `Variant ${result.variant.name}`));
    if (result.mappings.length > 0) {
      lines.push('', 'Resident pages at the end of the measured part, by mapping (`/proc/<pid>/smaps`):', '', '| Mapping | Resident | of it anonymous |', '| --- | ---: | ---: |');
      for (const group of result.mappings) lines.push(`| ${group.name} | ${mib(group.residentBytes)} | ${mib(group.anonymousBytes)} |`);
    }
  }
  return lines.join('\n');
}
