import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { invalidArgument, notFound } from '../errors.js';
import type { LoadRunResult } from '../loadgen/run-result.js';
import { parseIntervalLog, writeIntervalLog } from './interval-log.js';
import { parseRunSummary, summarizeIntervalLog, summarizeRun, type RunSummary, type SummaryExtras } from './run-summary.js';

/**
 * A run on disk is two files with one base name: `NAME.hlog`, the HdrHistogram interval log any
 * HdrHistogram tool reads, and `NAME.json`, the summary with what a log cannot hold (schedule,
 * errors, generator health, resource samples).
 */
export const INTERVAL_LOG_EXTENSION = '.hlog';
export const SUMMARY_EXTENSION = '.json';

export interface SavedRun {
  readonly summary: RunSummary;
  readonly summaryPath: string;
  readonly intervalLogPath: string;
}

function basePathOf(filePath: string): string {
  const extension = path.extname(filePath);
  return extension === INTERVAL_LOG_EXTENSION || extension === SUMMARY_EXTENSION ? filePath.slice(0, -extension.length) : filePath;
}

/** Writes `basePath.hlog` and `basePath.json` (extensions added; folders created). */
export async function saveRun(basePath: string, run: LoadRunResult, extras: Omit<SummaryExtras, 'intervalLogFile'> = {}): Promise<SavedRun> {
  const base = basePathOf(path.resolve(basePath));
  const intervalLogPath = `${base}${INTERVAL_LOG_EXTENSION}`;
  const summaryPath = `${base}${SUMMARY_EXTENSION}`;
  const summary = summarizeRun(run, { ...extras, intervalLogFile: path.basename(intervalLogPath) });
  await mkdir(path.dirname(base), { recursive: true });
  await writeFile(intervalLogPath, writeIntervalLog(run));
  await writeFile(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
  return { summary, summaryPath, intervalLogPath };
}

async function exists(filePath: string): Promise<boolean> {
  try {
    await access(filePath);
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads a saved run from either of its files. When the interval log is there, latencies are
 * recomputed from it (the log is the record); the summary beside it supplies the rest. Either
 * file alone also works: a log from another HdrHistogram tool, or a summary whose log was lost.
 */
export async function loadRun(filePath: string): Promise<RunSummary> {
  const resolved = path.resolve(filePath);
  if (!(await exists(resolved))) throw notFound('FILE', `${filePath} does not exist`);
  const extension = path.extname(resolved);
  let summaryPath: string | null = null;
  let intervalLogPath: string | null = null;
  if (extension === SUMMARY_EXTENSION) {
    summaryPath = resolved;
  } else {
    intervalLogPath = resolved;
    const sibling = `${basePathOf(resolved)}${SUMMARY_EXTENSION}`;
    if (extension === INTERVAL_LOG_EXTENSION && (await exists(sibling))) summaryPath = sibling;
  }
  const saved = summaryPath === null ? null : parseRunSummary(await readFile(summaryPath, 'utf8'), path.basename(summaryPath));
  if (intervalLogPath === null && saved?.intervalLogFile) {
    const candidate = path.join(path.dirname(resolved), path.basename(saved.intervalLogFile));
    if (await exists(candidate)) intervalLogPath = candidate;
  }
  if (intervalLogPath === null) {
    if (saved === null) throw invalidArgument('FILE', `${filePath} is neither a ${SUMMARY_EXTENSION} summary nor an interval log`);
    return saved;
  }
  const log = parseIntervalLog(await readFile(intervalLogPath, 'utf8'), path.basename(intervalLogPath));
  return summarizeIntervalLog(log, saved);
}
