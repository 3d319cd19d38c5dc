/**
 * The tx-hash index's manifest: which hot table takes inserts, whether the other one is full and
 * waiting to be written out as a run, and the run files that hold everything older. It lives in
 * the ledger's LMDB meta table, so it changes in the same transaction as the hot tables and the
 * head: a reader's snapshot always names runs and hot tables that together hold every committed
 * block's transactions.
 */
import { join } from 'node:path';
import { assert } from '../../errors.js';

export type HotTable = 0 | 1;

export interface IndexRun {
  /** Names the file (runFileName); increases with every run written. */
  sequence: number;
  /** 0: written from a hot table; n + 1: merged from runs of level n. */
  level: number;
  entryCount: number;
}

export interface IndexManifest {
  /** The hot table that takes the inserts of new blocks. */
  active: HotTable;
  /** The other hot table is full: its entries are being written out as a run. */
  frozen: boolean;
  nextSequence: number;
  /** Oldest first. */
  runs: IndexRun[];
}

export const emptyManifest: IndexManifest = { active: 0, frozen: false, nextSequence: 0, runs: [] };

export function otherTable(table: HotTable): HotTable {
  return table === 0 ? 1 : 0;
}

/** Run files live in `<ledger>/tx-index/`, named by sequence so a listing sorts by age. */
export function runDirectory(ledgerDirectory: string): string {
  return join(ledgerDirectory, 'tx-index');
}

export function runFileName(sequence: number): string {
  return `run-${sequence.toString().padStart(10, '0')}.idx`;
}

export function runPath(ledgerDirectory: string, sequence: number): string {
  return join(runDirectory(ledgerDirectory), runFileName(sequence));
}

/** The manifest is small (a few dozen runs) and read once per lookup, so JSON is plenty. */
export function encodeManifest(manifest: IndexManifest): Buffer {
  return Buffer.from(JSON.stringify(manifest), 'utf8');
}

export function decodeManifest(bytes: Uint8Array): IndexManifest {
  const manifest = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as IndexManifest;
  assert(manifest.active === 0 || manifest.active === 1, `the tx index manifest names hot table 0 or 1, got ${String(manifest.active)}`);
  assert(typeof manifest.frozen === 'boolean' && Number.isSafeInteger(manifest.nextSequence), 'the tx index manifest is well formed');
  assert(Array.isArray(manifest.runs), 'the tx index manifest lists its runs');
  for (const run of manifest.runs) {
    assert(
      Number.isSafeInteger(run.sequence) && run.sequence < manifest.nextSequence && Number.isSafeInteger(run.level) && Number.isSafeInteger(run.entryCount),
      `the tx index manifest's run ${JSON.stringify(run)} is well formed`,
    );
  }
  return manifest;
}
