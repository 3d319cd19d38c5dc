/**
 * The systems under test, as real processes on loopback: an Aurigraph cluster of 1 or 3 nodes
 * (the compiled CLI with the bench profile and the digest state machine, so the figures are
 * Raft's: log, fsync, replication) and an etcd cluster of 1 or 3 members (Debian's etcd-server,
 * default durability: its WAL is fsynced before a write is acknowledged). Each waits until a
 * leader is elected and names the leader's client address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createClient } from '../../src/client/index.js';
import { NodeRole } from '../../src/generated/aurigraph.js';
import { distDir } from '../../src/paths.js';
import { EtcdClient } from './etcd-client.js';
import { freePorts } from '../../src/net/free-ports.js';

export interface RunningCluster {
  /** host:port of the leader's client endpoint. */
  leaderAddress: string;
  stop(): Promise<void>;
}

const startTimeoutMs = 60_000;

function startProcess(command: string, args: string[], logFile: string, environment: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: environment });
  const log = createWriteStream(logFile);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return child;
}

async function stopProcesses(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

function logTail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-5).join('\n');
  } catch {
    return '(no log)';
  }
}

async function poll<T>(what: string, children: readonly ChildProcess[], logFiles: readonly string[], probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    const exited = children.findIndex((child) => child.exitCode !== null);
    if (exited >= 0) throw new Error(`${what}: a process exited with code ${children[exited]!.exitCode}; its log ends:\n${logTail(logFiles[exited]!)}`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${what}: no leader within ${startTimeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Flags every Aurigraph node of the benchmark gets. */
export const aurigraphProfileArgs = ['--profile', 'bench', '--set', 'raft.stateMachine=digest'];

export async function startAurigraph(nodeCount: number, directory: string): Promise<RunningCluster> {
  const keystoreSecret = randomBytes(32).toString('hex');
  const ports = await freePorts(nodeCount);
  const peers = nodeCount === 1 ? '' : ports.map((port, index) => `node-${index + 1}=127.0.0.1:${port}`).join(',');
  const children = ports.map((port, index) => {
    const dataDir = path.join(directory, `aurigraph-${index + 1}`);
    mkdirSync(dataDir, { recursive: true });
    const args = [path.join(distDir, 'src', 'cli', 'main.js'), 'start', ...aurigraphProfileArgs, '--data-dir', dataDir, '--set', `grpc.port=${port}`, '--set', `node.id=node-${index + 1}`];
    if (peers !== '') args.push('--set', `raft.peers=${peers}`);
    // The bench profile wants a real keystore secret; a throwaway one per run.
    return startProcess(process.execPath, args, `${dataDir}.log`, { ...process.env, AURIGRAPH_KEYSTORE_SECRET: keystoreSecret });
  });
  const addresses = ports.map((port) => `127.0.0.1:${port}`);
  const logFiles = ports.map((_, index) => `${path.join(directory, `aurigraph-${index + 1}`)}.log`);
  const leaderAddress = await stopAllIfFails(children, poll(`aurigraph ${nodeCount}-node cluster`, children, logFiles, async () => {
    for (const address of addresses) {
      const client = createClient(address, { deadlineMs: 2_000 });
      try {
        const state = await client.consensus.getNodeState({});
        if (state.role === NodeRole.LEADER) return address;
      } finally {
        client.close();
      }
    }
    return undefined;
  }));
  return { leaderAddress, stop: () => stopProcesses(children) };
}

/** A cluster that never elects a leader is stopped before the error propagates. */
async function stopAllIfFails<T>(children: readonly ChildProcess[], waiting: Promise<T>): Promise<T> {
  try {
    return await waiting;
  } catch (error) {
    await stopProcesses(children);
    throw error;
  }
}

export async function startEtcd(memberCount: number, directory: string): Promise<RunningCluster> {
  const ports = await freePorts(2 * memberCount);
  const clientPorts = ports.slice(0, memberCount);
  const peerUrls = ports.slice(memberCount).map((port) => `http://127.0.0.1:${port}`);
  const initialCluster = peerUrls.map((url, index) => `m${index + 1}=${url}`).join(',');
  const children = clientPorts.map((port, index) => {
    const name = `m${index + 1}`;
    const dataDir = path.join(directory, `etcd-${index + 1}`);
    mkdirSync(directory, { recursive: true });
    return startProcess(
      'etcd',
      [
        '--name', name,
        '--data-dir', dataDir,
        '--listen-client-urls', `http://127.0.0.1:${port}`,
        '--advertise-client-urls', `http://127.0.0.1:${port}`,
        '--listen-peer-urls', peerUrls[index]!,
        '--initial-advertise-peer-urls', peerUrls[index]!,
        '--initial-cluster', initialCluster,
        '--initial-cluster-state', 'new',
        '--initial-cluster-token', 'aurigraph-bench',
        // Room for the 64 KiB runs; compaction keeps the MVCC history from growing without bound.
        '--quota-backend-bytes', String(8 * 1024 ** 3),
        '--auto-compaction-mode', 'revision',
        '--auto-compaction-retention', '10000',
      ],
      `${dataDir}.log`,
    );
  });
  const addresses = clientPorts.map((port) => `127.0.0.1:${port}`);
  const logFiles = clientPorts.map((_, index) => `${path.join(directory, `etcd-${index + 1}`)}.log`);
  const leaderAddress = await stopAllIfFails(children, poll(`etcd ${memberCount}-member cluster`, children, logFiles, async () => {
    for (const address of addresses) {
      const client = new EtcdClient(address);
      try {
        if (await client.isLeader(2_000)) return address;
      } finally {
        client.close();
      }
    }
    return undefined;
  }));
  return { leaderAddress, stop: () => stopProcesses(children) };
}

/** `etcd --version`'s first line, e.g. "etcd Version: 3.4.23". */
export async function etcdVersion(): Promise<string> {
  const child = spawn('etcd', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return /Version:\s*(\S+)/.exec(output)?.[1] ?? 'unknown';
}
