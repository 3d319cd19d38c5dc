/**
 * The node's memory caps from the `memory` config section, turned into what each place takes.
 * V8's heap flags (--max-old-space-size, --max-semi-space-size) are process-wide: they cap the
 * main thread and override any worker's `resourceLimits` (measured: a worker asking for 32 MiB
 * under --max-old-space-size=96 gets 96), so one cap per thread is all a process can have. They
 * and MALLOC_ARENA_MAX only work when the process starts with them, and
 * `v8.setFlagsFromString` after start-up does not change an existing heap's limit (measured),
 * so `aurigraph start` re-executes itself (same pid, `process.execve`) once it has read its
 * config. Workers get the same caps as `resourceLimits` too, which holds where the process could
 * not re-execute.
 *
 * glibc's mmap threshold is fixed too (MALLOC_MMAP_THRESHOLD_, unless the environment already
 * sets it). glibc's own threshold starts at 128 KiB but rises to the size of every large block
 * freed, up to 32 MiB; from then on the node's large transient buffers (gRPC messages, log
 * entries, hand-offs and receipts, 0.1 to 8 MiB each, all ArrayBuffer backing stores) come from
 * the arenas and, once freed, stay there as free space the process keeps. Fixed at 128 KiB each
 * such buffer is a mapping of its own, returned to the kernel when it is freed (measured on the
 * bench profile at full load: glibc arenas 79 → 32 MiB resident; BENCHMARKS.md, bench:memory).
 */
import type { ResourceLimits } from 'node:worker_threads';
import { assert } from '../errors.js';
import type { NodeConfig } from '../config/types.js';

/** V8's young generation is three semi-spaces (two for copying, one for large new objects). */
const semiSpacesPerYoungGeneration = 3;

/** glibc's mmap threshold, fixed at glibc's own starting value: blocks this large or larger are mappings of their own. */
export const mallocMmapThresholdBytes = 128 * 1024;

export function workerResourceLimits(memory: NodeConfig['memory']): ResourceLimits {
  return { maxOldGenerationSizeMb: memory.threadOldGenerationMb, maxYoungGenerationSizeMb: memory.threadYoungGenerationMb };
}

/** The V8 flags that cap every thread's heap, as the process must start with them. */
export function threadHeapV8Flags(memory: NodeConfig['memory']): string[] {
  const semiSpaceMb = memory.threadYoungGenerationMb / semiSpacesPerYoungGeneration;
  assert(Number.isInteger(semiSpaceMb) && semiSpaceMb >= 1, 'memory.threadYoungGenerationMb is a multiple of 3 (schema)');
  return [`--max-old-space-size=${memory.threadOldGenerationMb}`, `--max-semi-space-size=${semiSpaceMb}`];
}

export interface Relaunch {
  /** Node.js options to start with: the running ones, then the caps (the last of a flag wins). */
  readonly execArgv: string[];
  readonly env: NodeJS.ProcessEnv;
}

/**
 * How to restart this process so its heaps and malloc are capped as configured, or undefined
 * when it already runs that way (so a relaunched process never relaunches again).
 */
export function relaunchForMemoryLimits(
  memory: NodeConfig['memory'],
  running: { readonly execArgv: readonly string[]; readonly env: NodeJS.ProcessEnv },
): Relaunch | undefined {
  const flags = threadHeapV8Flags(memory);
  const flagsMissing = flags.some((flag) => lastOccurrence(running.execArgv, flag) !== flag);
  const arenas = memory.mallocArenas === 0 ? undefined : String(memory.mallocArenas);
  const arenasMissing = arenas !== undefined && running.env['MALLOC_ARENA_MAX'] !== arenas;
  // An operator's own threshold is kept; only its absence relaunches.
  const thresholdMissing = running.env['MALLOC_MMAP_THRESHOLD_'] === undefined;
  if (!flagsMissing && !arenasMissing && !thresholdMissing) return undefined;
  const env: NodeJS.ProcessEnv = { ...running.env };
  if (arenas !== undefined) env['MALLOC_ARENA_MAX'] = arenas;
  if (thresholdMissing) env['MALLOC_MMAP_THRESHOLD_'] = String(mallocMmapThresholdBytes);
  return { execArgv: [...running.execArgv, ...flags], env };
}

/** The last argument setting `flag`'s option (V8 takes the last one; '_' and '-' are the same). */
function lastOccurrence(argv: readonly string[], flag: string): string | undefined {
  const name = flag.slice(0, flag.indexOf('=') + 1);
  return argv.map((argument) => argument.replaceAll('_', '-')).findLast((argument) => argument.startsWith(name));
}
