/**
 * Resident memory of a process on this machine, from /proc/<pid>/status: VmRSS (every thread,
 * anonymous and file-backed pages) split into RssAnon (heaps and other private memory: what a
 * leak grows), RssFile (mapped files: the executable, LMDB's pages, which grow with the database
 * and which the kernel can drop) and RssShmem. Read by the node about itself (its runtime line)
 * and by the runners about the node they drive.
 */
import { readFileSync } from 'node:fs';

export interface ProcessMemory {
  readonly rssBytes: number;
  readonly rssAnonBytes: number;
  readonly rssFileBytes: number;
  readonly rssShmemBytes: number;
}

function kilobytesField(status: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** The memory of process `pid` ('self': this one), or undefined when it is gone or /proc is not there (not Linux). */
export function readProcessMemory(pid: number | 'self'): ProcessMemory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  return {
    rssBytes: kilobytesField(status, 'VmRSS'),
    rssAnonBytes: kilobytesField(status, 'RssAnon'),
    rssFileBytes: kilobytesField(status, 'RssFile'),
    rssShmemBytes: kilobytesField(status, 'RssShmem'),
  };
}
