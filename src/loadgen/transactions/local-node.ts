/**
 * Node processes this machine starts for a load or soak run: the compiled CLI (`aurigraph
 * start`), a temporary data folder, a genesis file, a profile, and --set overrides. One node, or
 * a cluster of several on loopback ports chosen here. Each process's log goes to node.log in its
 * data folder; the last lines are kept for error messages, and the node's `runtime` lines are
 * handed to whoever listens (node-event-loop.ts). Every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from '../../client/index.js';
import { AurigraphError } from '../../errors.js';
import { NodeRole } from '../../generated/aurigraph.js';
import { distDir } from '../../paths.js';
import { freePorts } from '../../net/free-ports.js';
import type { RuntimeReportSource } from './node-event-loop.js';
import { parseRuntimeLine, type NodeRuntimeReport } from './runtime-line.js';

export const cliPath = path.join(distDir, 'src', 'cli', 'main.js');
const logLinesKept = 200;

export interface LocalNodeOptions {
  readonly profile: string;
  /** The node's data folder (created). */
  readonly dataDir: string;
  readonly genesisFile: string;
  /** 0 (the default) lets the OS choose; the node's log says which. */
  readonly port?: number;
  /** Extra `--set PATH=VALUE` overrides. */
  readonly settings?: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
  /**
   * A command the node is started through, which must exec its arguments so the pid stays the
   * node's (bench/memory's cgroup wrapper joins a memory cgroup first). Default: none.
   */
  readonly launcher?: readonly string[];
}

export interface LocalNode {
  readonly pid: number;
  readonly address: string;
  readonly port: number;
  readonly dataDir: string;
  /** The last lines the node logged. */
  logTail(): string[];
  /** Resolves with the exit code once the process is gone. */
  readonly exited: Promise<number | null>;
  /** SIGTERM (the node drains), SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<number | null>;
}

/** A node started by startLocalNode: its `runtime` log lines can be heard too. */
export interface ReportingLocalNode extends LocalNode, RuntimeReportSource {}

function portFromLogLine(line: string): number | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: string; port?: number };
    return entry.msg === 'node started' && typeof entry.port === 'number' ? entry.port : undefined;
  } catch {
    return undefined;
  }
}

export async function startLocalNode(options: LocalNodeOptions): Promise<ReportingLocalNode> {
  await mkdir(options.dataDir, { recursive: true });
  const settings = { 'ledger.genesisFile': options.genesisFile, 'log.level': 'info', ...options.settings };
  const args = [cliPath, 'start', '--profile', options.profile, '--port', String(options.port ?? 0), '--data-dir', path.join(options.dataDir, 'node')];
  for (const [field, value] of Object.entries(settings)) args.push('--set', `${field}=${value}`);
  // A node started here keeps its keystore in a throwaway folder: unless the operator gave a
  // secret, a random one for this process is enough (profiles other than dev require one).
  const secretEnv = 'AURIGRAPH_KEYSTORE_SECRET';
  const env = { ...process.env, [secretEnv]: process.env[secretEnv] || randomBytes(24).toString('base64url') };
  const command = [...(options.launcher ?? []), process.execPath, ...args];
  const child: ChildProcess = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env });
  const log = createWriteStream(path.join(options.dataDir, 'node.log'), { flags: 'a' });
  const tail: string[] = [];
  const runtimeListeners = new Set<(report: NodeRuntimeReport) => void>();
  let buffered = '';
  // 'close', not 'exit': it comes after stderr has been read to its end, so a node that dies at
  // start still leaves its last words in the tail.
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      if (buffered !== '') tail.push(buffered);
      resolve(code);
    }),
  );
  void exited.then(() => log.end());
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new AurigraphError('unavailable', `the node did not start within ${startTimeoutMs} ms; its log:\n${tail.join('\n')}`));
    }, startTimeoutMs);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      log.write(chunk);
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        tail.push(line);
        if (tail.length > logLinesKept) tail.shift();
        const runtime = parseRuntimeLine(line);
        if (runtime !== undefined) for (const listener of runtimeListeners) listener(runtime);
        const reported = portFromLogLine(line);
        if (reported !== undefined) {
          clearTimeout(timer);
          resolve(reported);
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new AurigraphError('unavailable', `the node exited with code ${code} before it listened; its log:\n${tail.join('\n')}`));
    });
  });
  return {
    pid: child.pid!,
    port,
    address: `127.0.0.1:${port}`,
    dataDir: options.dataDir,
    logTail: () => [...tail],
    onRuntimeReport(listener) {
      runtimeListeners.add(listener);
      return () => runtimeListeners.delete(listener);
    },
    exited,
    async stop(timeoutMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killed = new Promise<null>((resolve) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve(null);
        }, timeoutMs);
      });
      const code = await Promise.race([exited, killed]);
      clearTimeout(timer);
      await exited;
      return code;
    },
  };
}

export interface LocalClusterOptions extends Omit<LocalNodeOptions, 'dataDir' | 'port'> {
  readonly size: number;
  /** Node i's data goes in <baseDir>/node-i. */
  readonly baseDir: string;
}

/** `size` nodes on loopback forming one Raft cluster; resolves once they all listen. */
export async function startLocalCluster(options: LocalClusterOptions): Promise<ReportingLocalNode[]> {
  const ports = await freePorts(options.size);
  const peers = ports.map((port, index) => `node-${index + 1}=127.0.0.1:${port}`).join(',');
  const started = await Promise.allSettled(
    ports.map((port, index) =>
      startLocalNode({
        ...options,
        port,
        dataDir: path.join(options.baseDir, `node-${index + 1}`),
        settings: { 'node.id': `node-${index + 1}`, 'raft.peers': peers, ...options.settings },
      }),
    ),
  );
  const nodes = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failure = started.find((outcome) => outcome.status === 'rejected');
  if (failure !== undefined) {
    await Promise.all(nodes.map((node) => node.stop()));
    throw (failure as PromiseRejectedResult).reason;
  }
  return nodes;
}

/**
 * The address of the cluster's leader among `addresses` (ConsensusService.GetNodeState), asked
 * until one node says it leads or `timeoutMs` passes. A single address is its own leader.
 */
export async function findLeader(addresses: readonly string[], timeoutMs = 30_000): Promise<string> {
  if (addresses.length === 1) return addresses[0]!;
  const deadline = Date.now() + timeoutMs;
  const clients = addresses.map((address) => ({ address, client: createClient(address, { deadlineMs: 2_000, readAttemptsMax: 1 }) }));
  try {
    while (Date.now() < deadline) {
      for (const { address, client } of clients) {
        try {
          const state = await client.consensus.getNodeState({});
          if (state.role === NodeRole.LEADER) return address;
        } catch {
          // Not up yet, or not answering: ask the others.
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    for (const { client } of clients) client.close();
  }
  throw new AurigraphError('unavailable', `none of ${addresses.join(', ')} became the leader within ${timeoutMs} ms`, 'address');
}
