/**
 * ghz (github.com/bojand/ghz), a third-party gRPC load tool: found on PATH or in Go's bin
 * folder, installed with `go install` when missing, and run once with a binary request file.
 * Its JSON report gives durations in nanoseconds.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { invalidArgument } from '../../src/errors.js';

const run = promisify(execFile);

/** The ghz release this bench installs when none is on PATH or in Go's bin folder. */
export const ghzModule = 'github.com/bojand/ghz/cmd/ghz@v0.120.0';

async function goBinFolder(): Promise<string> {
  const { stdout } = await run('go', ['env', 'GOPATH']);
  return path.join(stdout.trim().split(path.delimiter)[0]!, 'bin');
}

async function onPath(command: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('sh', ['-c', `command -v ${command}`]);
    return stdout.trim() === '' ? undefined : stdout.trim();
  } catch {
    return undefined;
  }
}

/** The ghz binary's path, installing it (about a minute on this machine) when absent. */
export async function ensureGhz(onProgress: (message: string) => void): Promise<string> {
  const found = await onPath('ghz');
  if (found !== undefined) return found;
  const installed = path.join(await goBinFolder(), 'ghz');
  if (existsSync(installed)) return installed;
  onProgress(`installing ${ghzModule}`);
  await run('go', ['install', ghzModule], { timeout: 300_000 });
  if (!existsSync(installed)) throw invalidArgument('ghz', `go install ${ghzModule} finished but ${installed} is absent; install ghz by hand and put it on PATH`);
  return installed;
}

export async function ghzVersion(binary: string): Promise<string> {
  const { stdout, stderr } = await run(binary, ['--version']);
  return (stdout + stderr).trim();
}

export interface GhzRun {
  /** Arguments after the binary, as run. */
  readonly args: readonly string[];
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyMsMean: number;
  /** Percentile (e.g. 50, 99) to latency in ms. */
  readonly latencyMsByPercentile: ReadonlyMap<number, number>;
  readonly latencyMsMax: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly errors: Readonly<Record<string, number>>;
}

interface GhzJsonReport {
  count: number;
  rps: number;
  average: number;
  slowest: number;
  latencyDistribution: { percentage: number; latency: number }[] | null;
  statusCodeDistribution: Record<string, number> | null;
  errorDistribution: Record<string, number> | null;
}

export interface GhzOptions {
  readonly binary: string;
  readonly address: string;
  readonly protoRoot: string;
  readonly binaryFile: string;
  readonly concurrency: number;
  readonly connections: number;
  readonly durationSec: number;
  readonly skipFirst: number;
}

export async function runGhz(options: GhzOptions): Promise<GhzRun> {
  const args = [
    '--insecure',
    '--import-paths', options.protoRoot,
    '--proto', 'aurigraph/v11/transaction_service.proto',
    '--call', 'aurigraph.v11.TransactionService.SubmitBatch',
    '--binary', '--binary-file', options.binaryFile,
    '--concurrency', String(options.concurrency),
    '--connections', String(options.connections),
    '--duration', `${options.durationSec}s`,
    '--skipFirst', String(options.skipFirst),
    '--format', 'json',
    options.address,
  ];
  const running = run(options.binary, args, { maxBuffer: 64 * 1024 * 1024, timeout: (options.durationSec + 120) * 1000 });
  // ghz reads its request from stdin when stdin is a pipe, and waits there until it closes.
  running.child.stdin?.end();
  const { stdout } = await running;
  const report = JSON.parse(stdout) as GhzJsonReport;
  const nanosecondsPerMs = 1e6;
  return {
    args,
    requests: report.count,
    requestsPerSecond: report.rps,
    latencyMsMean: report.average / nanosecondsPerMs,
    latencyMsByPercentile: new Map((report.latencyDistribution ?? []).map((entry) => [entry.percentage, entry.latency / nanosecondsPerMs])),
    latencyMsMax: report.slowest / nanosecondsPerMs,
    statusCodes: report.statusCodeDistribution ?? {},
    errors: report.errorDistribution ?? {},
  };
}
