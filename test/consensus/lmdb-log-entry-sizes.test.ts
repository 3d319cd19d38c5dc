import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { LmdbLogStorage } from '../../src/consensus/lmdb-log-storage.js';
import type { Entry, Ready } from '../../src/raft/index.js';

function ready(entries: Entry[], term: number): Ready {
  return { softState: null, hardState: { term, vote: 1, commit: 0 }, snapshot: null, entries, compaction: null, messages: [], committedEntries: [], mustSync: true };
}

/** Data whose every byte depends on the entry and the position, so a mix-up between entries shows. */
function entryOf(index: number, term: number, sizeBytes: number): Entry {
  const data = new Uint8Array(sizeBytes);
  for (let position = 0; position < sizeBytes; position++) data[position] = (index * 31 + position * 7) & 0xff;
  return { index, term, type: index % 5 === 0 ? 'conf-change' : 'normal', data };
}

// The log encodes entry values in one reused buffer: every entry of a Ready, small after large,
// and one larger than the reused buffer may grow, must read back byte for byte, with its term.
test('entries of very different sizes written in one Ready read back exactly, before and after reopening', async () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'aurigraph-raft-log-sizes-'));
  const sizes = [100 * 1024, 10, 600 * 1024, 0, 40 * 1024, 17 * 1024 * 1024, 3, 512 * 1024];
  const written = sizes.map((sizeBytes, position) => entryOf(position + 1, position < 4 ? 1 : 2, sizeBytes));
  let storage = LmdbLogStorage.open({ directory, foundingVoters: [1] });
  try {
    storage.persistReady(ready(written.slice(0, 4), 1));
    storage.persistReady(ready(written.slice(4), 2));
    for (let reopen = 0; reopen < 2; reopen++) {
      assert.equal(storage.lastIndex(), written.length);
      for (const expected of written) assert.equal(storage.term(expected.index), expected.term, `term of entry ${expected.index}`);
      const stored = storage.entries(1, written.length + 1, Number.MAX_SAFE_INTEGER);
      assert.equal(stored.length, written.length);
      stored.forEach((entry, position) => {
        const expected = written[position]!;
        assert.deepEqual({ index: entry.index, term: entry.term, type: entry.type }, { index: expected.index, term: expected.term, type: expected.type });
        assert.ok(Buffer.from(entry.data).equals(expected.data), `data of entry ${expected.index} (${expected.data.byteLength} bytes) reads back unchanged`);
      });
      await storage.close();
      storage = LmdbLogStorage.open({ directory, foundingVoters: [1] });
    }
  } finally {
    await storage.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
