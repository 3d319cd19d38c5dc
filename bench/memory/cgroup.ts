/**
 * A cgroup v1 memory group for one node process: the kernel keeps everything charged to the
 * group (private memory and the page cache the process brings in, mapped LMDB pages included)
 * under the limit, reclaiming file pages first and killing the process only when private memory
 * alone does not fit. Needs root and /sys/fs/cgroup/memory (cgroup v1).
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AurigraphError } from '../../src/errors.js';

const memoryRoot = '/sys/fs/cgroup/memory';

export interface CgroupUsage {
  readonly limitBytes: number;
  /** memory.max_usage_in_bytes: the most ever charged to the group while the node ran in it. */
  readonly maxUsageBytes: number;
  /** How often the limit was hit (the kernel reclaimed to stay under it). */
  readonly limitHits: number;
  /** Processes the kernel's OOM killer ended in this group. */
  readonly oomKills: number;
}

export interface MemoryCgroup {
  readonly directory: string;
  usage(): CgroupUsage;
  /** Removes the group; the process must have exited. */
  remove(): void;
}

export function cgroupsAvailable(): boolean {
  return existsSync(path.join(memoryRoot, 'memory.limit_in_bytes'));
}

function readNumber(directory: string, file: string): number {
  return Number(readFileSync(path.join(directory, file), 'utf8').trim());
}

/**
 * A new group limited to `limitBytes`. A process is put in it from its first instruction by
 * starting it through `wrapperCommand` (a shell that joins the group, then execs the program),
 * because kernels since 6.x no longer move the charges of a process that joins later.
 */
export function createMemoryCgroup(name: string, limitBytes: number): MemoryCgroup & { wrapperCommand: string[] } {
  if (!cgroupsAvailable()) throw new AurigraphError('failed_precondition', `${memoryRoot} is not a cgroup v1 memory hierarchy; run without a cgroup variant`);
  const directory = path.join(memoryRoot, name);
  mkdirSync(directory);
  writeFileSync(path.join(directory, 'memory.limit_in_bytes'), String(limitBytes));
  if (existsSync(path.join(directory, 'memory.memsw.limit_in_bytes'))) writeFileSync(path.join(directory, 'memory.memsw.limit_in_bytes'), String(limitBytes));
  return {
    directory,
    wrapperCommand: ['/bin/sh', '-c', `echo $$ > ${path.join(directory, 'cgroup.procs')} && exec "$0" "$@"`],
    usage: () => ({
      limitBytes,
      maxUsageBytes: readNumber(directory, 'memory.max_usage_in_bytes'),
      limitHits: readNumber(directory, 'memory.failcnt'),
      oomKills: Number(/^oom_kill (\d+)$/m.exec(readFileSync(path.join(directory, 'memory.oom_control'), 'utf8'))?.[1] ?? 0),
    }),
    remove: () => rmdirSync(directory),
  };
}
