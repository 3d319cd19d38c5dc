import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { LmdbLogStorage } from '../../src/consensus/lmdb-log-storage.js';
import type { Entry, Ready, Snapshot } from '../../src/raft/index.js';
import { ReadyScript, contents, scriptVoters } from './fixtures/ready-script.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const entry = (index: number, term: number, type: Entry['type'] = 'normal'): Entry => ({ index, term, type, data: bytes(`${index}/${term}`) });

function ready(fields: Partial<Ready>): Ready {
  return { softState: null, hardState: null, snapshot: null, entries: [], compaction: null, messages: [], committedEntries: [], mustSync: true, ...fields };
}

/** Entries as plain values (LMDB hands data back as Buffers). */
function plain(entries: readonly Entry[]): Array<Omit<Entry, 'data'> & { data: string }> {
  return entries.map((stored) => ({ index: stored.index, term: stored.term, type: stored.type, data: Buffer.from(stored.data).toString() }));
}

/** Runs `run` on a fresh log folder; every store it opened is closed even when it fails. */
async function withLog(run: (open: (foundingVoters: number[]) => LmdbLogStorage) => Promise<void>): Promise<void> {
  const directory = mkdtempSync(path.join(tmpdir(), 'aurigraph-raft-log-'));
  const opened: LmdbLogStorage[] = [];
  try {
    await run((foundingVoters) => {
      const storage = LmdbLogStorage.open({ directory, foundingVoters });
      opened.push(storage);
      return storage;
    });
  } finally {
    for (const storage of opened) await storage.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

test('a new log starts from the founding voters; a persisted Ready reads back after reopening', async () => {
  await withLog(async (open) => {
    const fresh = open([30, 10, 20]);
    assert.deepEqual(fresh.hardState(), { term: 0, vote: 0, commit: 0 });
    assert.deepEqual(fresh.snapshot().metadata, { index: 0, term: 0, confState: { voters: [10, 20, 30] } });
    assert.equal(fresh.firstIndex(), 1);
    assert.equal(fresh.lastIndex(), 0);
    fresh.persistReady(ready({ entries: [entry(1, 1), entry(2, 1, 'conf-change'), entry(3, 2)], hardState: { term: 2, vote: 20, commit: 2 } }));

    await fresh.close();
    const reopened = open([99]);
    assert.deepEqual(reopened.hardState(), { term: 2, vote: 20, commit: 2 });
    assert.deepEqual(reopened.snapshot().metadata.confState.voters, [10, 20, 30], 'the stored membership wins over the one given at open');
    assert.equal(reopened.lastIndex(), 3);
    assert.equal(reopened.term(0), 0);
    assert.equal(reopened.term(3), 2);
    assert.equal(reopened.term(4), undefined);
    assert.deepEqual(plain(reopened.entries(1, 4, Number.MAX_SAFE_INTEGER)), plain([entry(1, 1), entry(2, 1, 'conf-change'), entry(3, 2)]));
    assert.deepEqual(plain(reopened.entries(1, 4, 1)), plain([entry(1, 1)]), 'a size limit still yields one entry');
    assert.equal(reopened.stats().entryCount, 3);
  });
});

test('entries from a newer leader replace the conflicting suffix, in the same write as the hard state', async () => {
  await withLog(async (open) => {
    const storage = open([1]);
    storage.persistReady(ready({ entries: [1, 2, 3, 4, 5].map((index) => entry(index, 1)), hardState: { term: 1, vote: 1, commit: 2 } }));
    storage.persistReady(ready({ entries: [entry(4, 3), entry(5, 3), entry(6, 3)], hardState: { term: 3, vote: 0, commit: 3 } }));
    storage.persistReady(ready({ entries: [entry(5, 4)], hardState: { term: 4, vote: 1, commit: 4 } }));
    await storage.close();
    const reopened = open([1]);
    assert.deepEqual(plain(reopened.allEntries()), plain([entry(1, 1), entry(2, 1), entry(3, 1), entry(4, 3), entry(5, 4)]));
    assert.equal(reopened.lastIndex(), 5, 'entry 6 of the replaced suffix is gone');
    assert.deepEqual(reopened.hardState(), { term: 4, vote: 1, commit: 4 });
  });
});

test('compaction keeps the snapshot and drops the entries it covers; a leader snapshot replaces the log', async () => {
  await withLog(async (open) => {
    const storage = open([1, 2]);
    storage.persistReady(ready({ entries: [1, 2, 3, 4, 5, 6].map((index) => entry(index, 2)), hardState: { term: 2, vote: 1, commit: 6 } }));
    const local: Snapshot = { metadata: { index: 4, term: 2, confState: { voters: [1, 2] } }, data: bytes('state@4') };
    storage.persistReady(ready({ compaction: local, mustSync: false }));
    assert.equal(storage.firstIndex(), 5);
    assert.equal(storage.term(4), 2, 'the snapshot index keeps its term');
    assert.equal(storage.term(3), undefined);
    assert.deepEqual(plain(storage.allEntries()), plain([entry(5, 2), entry(6, 2)]));
    assert.equal(storage.stats().entryCount, 2);
    // A compaction at or below the stored snapshot changes nothing.
    storage.persistReady(ready({ compaction: { ...local, metadata: { ...local.metadata, index: 3 } } }));
    assert.equal(storage.firstIndex(), 5);

    const fromLeader: Snapshot = { metadata: { index: 20, term: 5, confState: { voters: [1, 2, 3] } }, data: bytes('state@20') };
    storage.persistReady(ready({ snapshot: fromLeader, entries: [entry(21, 5)], hardState: { term: 5, vote: 0, commit: 20 } }));
    await storage.close();
    const reopened = open([1]);
    assert.deepEqual(reopened.snapshot().metadata, fromLeader.metadata);
    assert.equal(Buffer.from(reopened.snapshot().data).toString(), 'state@20');
    assert.equal(reopened.firstIndex(), 21);
    assert.deepEqual(plain(reopened.allEntries()), plain([entry(21, 5)]));
    assert.equal(reopened.term(20), 5);
  });
});

test('the log on disk always equals the reference store after the same Readies', async () => {
  await withLog(async (open) => {
    const storage = open(scriptVoters);
    const script = new ReadyScript();
    for (let step = 1; step <= 400; step++) {
      storage.persistReady(script.next());
      if (step % 100 === 0) assert.deepEqual(contents(storage), contents(script.mirror), `after step ${step}`);
    }
    await storage.close();
    const reopened = open(scriptVoters);
    assert.deepEqual(contents(reopened), contents(script.mirror));
  });
});

test('raising the commit index at start never lowers it', async () => {
  await withLog(async (open) => {
    const storage = open([1]);
    storage.persistReady(ready({ entries: [entry(1, 1), entry(2, 1), entry(3, 1)], hardState: { term: 1, vote: 1, commit: 1 } }));
    storage.raiseCommit(3);
    storage.raiseCommit(2);
    assert.deepEqual(storage.hardState(), { term: 1, vote: 1, commit: 3 });
    assert.throws(() => storage.raiseCommit(4), /beyond the last stored index/);
  });
});

