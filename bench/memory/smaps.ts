/**
 * Where a process's resident pages are, from /proc/<pid>/smaps: LMDB files by name (the ledger,
 * the Raft log), the executable and libraries, the brk heap (glibc's main arena) and the rest of
 * the anonymous memory (V8 heaps, the other malloc arenas, the shard rings), largest first.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface MappingGroup {
  readonly name: string;
  readonly residentBytes: number;
  readonly anonymousBytes: number;
}

function groupOf(mappedPath: string): string {
  if (mappedPath === '') return 'anonymous (V8 heaps, malloc arenas, shard rings)';
  if (mappedPath === '[heap]') return '[heap] (glibc main arena)';
  if (mappedPath.endsWith('.mdb')) return `LMDB ${path.basename(path.dirname(mappedPath))}/${path.basename(mappedPath)}`;
  if (mappedPath.endsWith('/node')) return 'node executable';
  if (mappedPath.startsWith('[')) return 'anonymous (V8 heaps, malloc arenas, shard rings)';
  return 'libraries and other files';
}

/** Resident and anonymous bytes per group; empty when the process is gone. */
export function residentByMapping(pid: number): MappingGroup[] {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return [];
  }
  const groups = new Map<string, { residentBytes: number; anonymousBytes: number }>();
  let current: { residentBytes: number; anonymousBytes: number } | undefined;
  for (const line of text.split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (header !== null) {
      const name = groupOf(header[1]!.trim());
      current = groups.get(name) ?? { residentBytes: 0, anonymousBytes: 0 };
      groups.set(name, current);
      continue;
    }
    const field = /^(Rss|Anonymous):\s+(\d+) kB/.exec(line);
    if (field === null || current === undefined) continue;
    if (field[1] === 'Rss') current.residentBytes += Number(field[2]) * 1024;
    else current.anonymousBytes += Number(field[2]) * 1024;
  }
  return [...groups]
    .map(([name, sizes]) => ({ name, ...sizes }))
    .filter((group) => group.residentBytes > 0)
    .sort((first, second) => second.residentBytes - first.residentBytes);
}
