/**
 * `npm run bench:soak`: the recorded soak. Runs `aurigraph soak` (which starts its own node with
 * the `soak` profile) in a process of its own, keeps its report and files under docs/soak/, and
 * writes the BENCHMARKS.md section between the bench:soak markers from those files, PASS or FAIL.
 *
 *   node dist/bench/soak/run.js [--duration 10m] [--rate 2000] [--batch-size 64] [--streams 4]
 *
 * Exit code: the soak's (0 PASS, 1 FAIL); 2 when it could not run.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { invalidArgument } from '../../src/errors.js';
import { repoRoot } from '../../src/paths.js';
import { describeMachine, formatMachine, formatMachineLoad } from '../common/machine.js';
import { writeSection } from '../crypto/markdown-section.js';
import { formatSoakSection, parseSoakResult, parseSoakSummary, soakMarkers } from './section.js';

interface SoakBenchOptions {
  readonly duration: string;
  readonly rate: string;
  readonly batchSize: string;
  readonly streams: string;
}

const defaults: SoakBenchOptions = { duration: '10m', rate: '2000', batchSize: '64', streams: '4' };
const flags: Record<string, keyof SoakBenchOptions> = { '--duration': 'duration', '--rate': 'rate', '--batch-size': 'batchSize', '--streams': 'streams' };
/** The files `aurigraph soak` leaves that the record keeps (the report needs none of the others). */
const keptFiles = ['soak.html', 'soak.json', 'soak.hlog', 'soak-result.json', 'soak-snapshots.jsonl'];

function parseArguments(argv: readonly string[]): SoakBenchOptions {
  const options: Record<keyof SoakBenchOptions, string> = { ...defaults };
  for (let index = 0; index < argv.length; index += 2) {
    const name = flags[argv[index]!];
    const value = argv[index + 1];
    if (name === undefined || value === undefined) {
      throw invalidArgument('arguments', `expected [--duration D] [--rate R] [--batch-size N] [--streams N], got ${argv.join(' ')}`);
    }
    options[name] = value;
  }
  return options;
}

function runSoakProcess(args: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/src/cli/main.js'), 'soak', ...args], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 2 : 128)));
  });
}

async function main(): Promise<number> {
  const options = parseArguments(process.argv.slice(2));
  const startedAt = new Date();
  const machine = describeMachine();
  const day = startedAt.toISOString().slice(0, 10);
  const reportFolder = `docs/soak/${day}-${options.duration}`;
  const outDir = path.join(repoRoot, 'data', 'soak-runs', `${day}-${options.duration}`);
  await rm(outDir, { recursive: true, force: true });
  const soakArgs = ['--duration', options.duration, '--rate', options.rate, '--batch-size', options.batchSize, '--streams', options.streams, '--profile', 'soak', '--out', outDir];
  const exitCode = await runSoakProcess(soakArgs);
  if (exitCode !== 0 && exitCode !== 1) {
    process.stderr.write(`bench:soak: aurigraph soak exited with code ${exitCode} before a verdict; BENCHMARKS.md is not touched\n`);
    return 2;
  }
  const resultFile = path.join(outDir, 'soak-result.json');
  const summaryFile = path.join(outDir, 'soak.json');
  const result = parseSoakResult(await readFile(resultFile, 'utf8'), resultFile);
  const summary = parseSoakSummary(await readFile(summaryFile, 'utf8'), summaryFile);
  const keptFolder = path.join(repoRoot, reportFolder);
  await mkdir(keptFolder, { recursive: true });
  for (const name of keptFiles) await copyFile(path.join(outDir, name), path.join(keptFolder, name));
  const benchCommand = `npm run bench:soak -- ${process.argv.slice(2).join(' ')}`.trimEnd();
  writeSection(path.join(repoRoot, 'BENCHMARKS.md'), soakMarkers, formatSoakSection({ result, summary, machineLine: `${formatMachine(machine)} · at start: ${formatMachineLoad(machine)}`, startedAt: startedAt.toISOString(), benchCommand, reportFolder }));
  process.stdout.write(`bench:soak: ${result.verdict}; report kept in ${reportFolder}, BENCHMARKS.md section bench:soak written\n`);
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:soak: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
