import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { cliPath, makeDataDir, startNodeProcess } from '../helpers/node-process.js';

function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

test('--help is available on the executable and on every command', () => {
  const overview = runCli(['--help']);
  assert.equal(overview.status, 0);
  assert.match(overview.stdout, /Commands:/);
  for (const command of ['start', 'status']) {
    const result = runCli([command, '--help']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`Usage: aurigraph ${command}`));
  }
});

test('an unknown command or flag is a usage error with exit code 2', () => {
  const unknownCommand = runCli(['launch']);
  assert.equal(unknownCommand.status, 2);
  assert.match(unknownCommand.stderr, /unknown command 'launch'/);
  const unknownFlag = runCli(['start', '--prfile', 'dev']);
  assert.equal(unknownFlag.status, 2);
  assert.match(unknownFlag.stderr, /--prfile/);
});

test('start refuses a bad config with a message naming the field, before opening anything', () => {
  const dataDir = path.join(makeDataDir(), 'node');
  const result = runCli(['start', '--data-dir', dataDir, '--set', 'shards.ringRecords=1000']);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /shards\.ringRecords/);
  assert.match(result.stderr, /power of two/);
  const fromEnvironment = runCli(['start', '--data-dir', dataDir], { AURIGRAPH_GRPC_PORT: 'ninety' });
  assert.equal(fromEnvironment.status, 1);
  assert.match(fromEnvironment.stderr, /AURIGRAPH_GRPC_PORT/);
});

test('status reports a running node as SERVING and an absent one as UNREACHABLE', async () => {
  const node = await startNodeProcess();
  try {
    const result = runCli(['status', '--address', node.address]);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const report = JSON.parse(result.stdout) as { status: string; services: Record<string, string> };
    assert.equal(report.status, 'SERVING');
    assert.ok(Object.keys(report.services).every((name) => name.startsWith('aurigraph.v11.')));
  } finally {
    await node.stop('SIGTERM');
    node.cleanup();
  }
  const absent = runCli(['status', '--address', node.address, '--timeout-ms', '500']);
  assert.equal(absent.status, 1);
  assert.equal((JSON.parse(absent.stdout) as { status: string }).status, 'UNREACHABLE');
});
