/**
 * The pid of the process listening on a local TCP port, so an attached node's memory can be read
 * too (src/proc/process-memory.ts reads it).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

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
