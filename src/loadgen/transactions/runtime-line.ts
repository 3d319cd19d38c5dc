/**
 * The node's `runtime` log line (src/node/runtime-report.ts) as a runner reads it from the
 * node's stderr: a format, not an import, so this side checks every field it uses and skips a
 * line that is not what it expects.
 */

/** One thread's figures in a `runtime` line. */
export interface ThreadRuntimeReport {
  readonly thread: string;
  readonly usedBytes: number;
  readonly committedBytes: number;
  readonly limitBytes: number;
  readonly mallocedBytes: number;
  readonly externalBytes: number;
  /** Share of the period the thread's loop was busy, 0..1. */
  readonly eventLoopUtilization: number;
  /** Lateness of a 10 ms timer on the thread, ms; null where the node did not measure it. */
  readonly eventLoopDelayP99Ms: number | null;
  readonly eventLoopDelayMaxMs: number | null;
}

export interface NodeRuntimeReport {
  /** The milliseconds the line covers. */
  readonly periodMs: number;
  readonly threads: readonly ThreadRuntimeReport[];
}

export const RUNTIME_LINE_MESSAGE = 'runtime';

const HEAP_FIELDS = ['usedBytes', 'committedBytes', 'limitBytes', 'mallocedBytes', 'externalBytes'] as const;

const isNonNegative = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isDelay = (value: unknown): value is number | null => value === null || isNonNegative(value);

function threadOf(value: unknown): ThreadRuntimeReport | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Record<string, unknown>;
  if (typeof entry['thread'] !== 'string' || entry['thread'] === '') return undefined;
  if (!HEAP_FIELDS.every((field) => isNonNegative(entry[field]))) return undefined;
  const utilization = entry['eventLoopUtilization'];
  if (!isNonNegative(utilization) || utilization > 1) return undefined;
  if (!isDelay(entry['eventLoopDelayP99Ms']) || !isDelay(entry['eventLoopDelayMaxMs'])) return undefined;
  return entry as unknown as ThreadRuntimeReport;
}

/** The report in one log line, or undefined when the line is not a well-formed `runtime` line. */
export function parseRuntimeLine(line: string): NodeRuntimeReport | undefined {
  // Cheap test first: the runner sees every line the node logs.
  if (!line.includes(`"msg":"${RUNTIME_LINE_MESSAGE}"`)) return undefined;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null || entry['msg'] !== RUNTIME_LINE_MESSAGE) return undefined;
  if (!isNonNegative(entry['periodMs']) || !Array.isArray(entry['threads'])) return undefined;
  const threads = entry['threads'].map(threadOf);
  if (threads.some((thread) => thread === undefined)) return undefined;
  return { periodMs: entry['periodMs'], threads: threads as ThreadRuntimeReport[] };
}

/** Every well-formed `runtime` report in a log, in order. */
export function runtimeReportsIn(logText: string): NodeRuntimeReport[] {
  return logText.split('\n').flatMap((line) => parseRuntimeLine(line) ?? []);
}
