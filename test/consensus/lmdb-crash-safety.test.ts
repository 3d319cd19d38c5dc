import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LmdbLogStorage } from '../../src/consensus/lmdb-log-storage.js';
import { ReadyScript, contents, scriptVoters } from './fixtures/ready-script.js';

const writerPath = fileURLToPath(new URL('./fixtures/ready-writer.js', import.meta.url));

/** Runs the writer until it acknowledged at least `acksMin` Readies, SIGKILLs it, returns the last ack. */
async function writeThenKill(directory: string, acksMin: number): Promise<number> {
  const child = spawn(process.execPath, [writerPath, directory], { stdio: ['ignore', 'pipe', 'pipe'] });
  let acknowledged = 0;
  let stderr = '';
  let buffered = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the writer acknowledged only ${acknowledged} Readies in 60 s: ${stderr}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) acknowledged = Number(line.split(' ')[1]);
      if (acknowledged >= acksMin && child.exitCode === null && !child.killed) {
        // Kill mid-stream: the next write is probably in flight right now.
        child.kill('SIGKILL');
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the writer exited on its own (${code}): ${stderr}`));
    });
  });
  await exited;
  // Lines the child wrote before dying may still sit in the pipe.
  for (const line of buffered.split('\n')) if (line.startsWith('ack ')) acknowledged = Number(line.split(' ')[1]);
  return acknowledged;
}

test('after SIGKILL mid-write the log holds every acknowledged Ready, atomically: never a torn one', async () => {
  for (const acksMin of [150, 700]) {
    const directory = mkdtempSync(path.join(tmpdir(), 'aurigraph-raft-crash-'));
    try {
      const acknowledged = await writeThenKill(directory, acksMin);
      assert.ok(acknowledged >= acksMin, `acknowledged ${acknowledged}`);
      const storage = LmdbLogStorage.open({ directory, foundingVoters: scriptVoters });
      const onDisk = contents(storage);
      await storage.close();
      // The disk holds exactly the state after the last acknowledged Ready, or after the one that
      // was being written when the process died (it may have committed before the ack line).
      const script = new ReadyScript();
      for (let step = 1; step <= acknowledged; step++) script.next();
      const afterAcknowledged = contents(script.mirror);
      script.next();
      const afterInFlight = contents(script.mirror);
      const matches = [afterAcknowledged, afterInFlight].filter((expected) => {
        try {
          assert.deepEqual(onDisk, expected);
          return true;
        } catch {
          return false;
        }
      });
      assert.equal(matches.length, 1, `the log after ${acknowledged} acknowledged Readies matches neither that state nor the next: ` +
        `last index ${onDisk.lastIndex}, term ${onDisk.hardState.term}; expected ${afterAcknowledged.lastIndex} or ${afterInFlight.lastIndex}`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }
});
