import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '../../src/client/index.js';
import { spawnSync } from 'node:child_process';
import { cliPath, makeDataDir, parseLogLines, startNodeProcess } from '../helpers/node-process.js';

test('a started node reports SERVING on health and drains to exit code 0 on SIGINT', async () => {
  const node = await startNodeProcess();
  const client = createClient(node.address);
  try {
    assert.equal(await client.health.check(''), 'SERVING');
    assert.equal(await client.health.check('grpc.no.such.Service'), 'SERVICE_UNKNOWN');
  } finally {
    client.close();
  }
  const exitCode = await node.stop('SIGINT');
  node.cleanup();
  assert.equal(exitCode, 0);
  const messages = parseLogLines(node.logLines).map((entry) => entry['msg']);
  assert.ok(messages.includes('draining'), 'the node logs that it drains');
  assert.ok(messages.includes('gRPC server drained'), 'the acceptor drains its port');
  assert.ok(messages.includes('node stopped'), 'the node logs its stop');
  const stoppedParts = parseLogLines(node.logLines)
    .filter((entry) => entry['msg'] === 'stopped')
    .map((entry) => entry['part']);
  assert.deepEqual(stoppedParts, ['acceptor thread', 'raft thread', 'pipeline', 'shard pool'], 'threads stop in reverse start order');
});

test('SIGTERM drains the same way, and the node can start again on the same data folder', async () => {
  const first = await startNodeProcess();
  assert.equal(await first.stop('SIGTERM'), 0);
  const second = await startNodeProcess({ dataDir: first.dataDir });
  const client = createClient(second.address);
  try {
    assert.equal(await client.health.check(''), 'SERVING');
  } finally {
    client.close();
  }
  assert.equal(await second.stop('SIGTERM'), 0);
  second.cleanup();
});

test('every log line the node writes is one JSON object with time, level and msg', async () => {
  const node = await startNodeProcess();
  await node.stop('SIGTERM');
  node.cleanup();
  assert.ok(node.logLines.length > 0);
  for (const line of node.logLines) {
    const entry = JSON.parse(line) as Record<string, unknown>;
    assert.equal(typeof entry['time'], 'string', line);
    assert.ok(['debug', 'info', 'warn', 'error'].includes(entry['level'] as string), line);
    assert.equal(typeof entry['msg'], 'string', line);
  }
});

test('a port that is already taken fails the start with a message naming the address, exit code 1', async () => {
  const holder = await startNodeProcess();
  try {
    const dataDir = makeDataDir();
    const result = spawnSync(
      process.execPath,
      [cliPath, 'start', '--port', String(holder.port), '--data-dir', `${dataDir}/node`],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(result.status, 1);
    assert.match(result.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${holder.port}`));
  } finally {
    await holder.stop('SIGTERM');
    holder.cleanup();
  }
});
