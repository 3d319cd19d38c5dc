/**
 * Memory of a process on this machine, from /proc/<pid>/status: VmRSS (all threads, anonymous
 * and file-backed pages) and RssAnon (heap and other private memory: what a leak grows; LMDB's
 * mapped file pages are RssFile and grow with the database, which is not a leak). And the pid of
 * the process listening on a local TCP port, so an attached node's memory can be read too.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

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

/** The memory of process `pid`, or undefined when it is gone (or /proc is not there). */
export function readProcessMemory(pid: number): ProcessMemory | undefined {
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

const listenState = '0A';

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const localPort = Number.parseInt(fields[1]!.split(':')[1] ?? '', 16);
      if (localPort === port && fields[3] === listenState) inodes.add(fields[9]!);
    }
  }
  return inodes;
}

/** The pid of the process listening on TCP `port` on this machine, if it can be found. */
export function findListeningProcess(port: number): number | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  const targets = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let descriptors: string[];
    try {
      descriptors = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const descriptor of descriptors) {
      try {
        if (targets.has(readlinkSync(`/proc/${pid}/fd/${descriptor}`))) return Number(pid);
      } catch {
        // The descriptor closed while we looked.
      }
    }
  }
  return undefined;
}
