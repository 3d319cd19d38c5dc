/**
 * What a load or soak run drives: node processes it starts itself (one, or a cluster on
 * loopback, on a temporary data folder, from a genesis it writes or is given), or nodes already
 * running at given addresses. Resolves the leader, the accounts the workload signs for, and the
 * pid of each local node so its memory can be read. Nodes started here are asked for a
 * `runtime` log line every `runtimeReportIntervalMs`, so the run can plot their event loops.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devGenesis } from '../../client/index.js';
import type { SignatureBackend } from '../../crypto/index.js';
import { invalidArgument } from '../../errors.js';
import type { Genesis } from '../../ledger/index.js';
import { readGenesisFile, renderGenesis } from '../../pipeline/genesis-file.js';
import { derivedAccountsGenesis, loadAccountsFrom, type LoadAccounts } from './load-accounts.js';
import { findLeader, startLocalCluster, startLocalNode, type ReportingLocalNode } from './local-node.js';
import { findListeningProcess } from './process-memory.js';
import type { SignatureMode } from './workload-plan.js';

export interface LoadTargetOptions {
  readonly signatureMode: SignatureMode;
  /** Attach to these nodes (ignored when startNodes is set). */
  readonly addresses?: readonly string[];
  /** Start this many node processes (1, or 3 for a cluster). */
  readonly startNodes?: number;
  readonly profile?: string;
  readonly settings?: Readonly<Record<string, string>>;
  /** The genesis the node(s) run. */
  readonly genesisFile?: string;
  /** Write a genesis of this many derived accounts (for started nodes, or to hand to one). */
  readonly accounts?: number;
  /** Where a written genesis goes; a temporary folder by default. */
  readonly genesisOutput?: string;
  /** Keep started nodes' data folders instead of removing them. */
  readonly keepData?: boolean;
  /**
   * Started nodes log a `runtime` line this often (log.runtimeReportIntervalMs, unless
   * `settings` sets it); the runner's sampling period suits. The profile's value by default.
   */
  readonly runtimeReportIntervalMs?: number;
}

export interface LoadTarget {
  readonly accounts: LoadAccounts;
  readonly genesis: Genesis;
  /** Where the genesis came from: a file, or 'config/genesis/dev.yaml (development accounts)'. */
  readonly genesisSource: string;
  readonly addresses: readonly string[];
  readonly leader: string;
  /** Nodes started for this run (empty when attached). */
  readonly nodes: readonly ReportingLocalNode[];
  /** The leader's pid when it runs on this machine and could be found. */
  readonly leaderPid: number | undefined;
  /** The leader when this run started it: its `runtime` lines can be heard. */
  readonly leaderNode: ReportingLocalNode | undefined;
  /** Stops started nodes and removes their data (unless kept). */
  close(): Promise<void>;
}

function isLoopback(address: string): boolean {
  const host = address.slice(0, address.lastIndexOf(':'));
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}

export async function openLoadTarget(options: LoadTargetOptions, backend: SignatureBackend): Promise<LoadTarget> {
  if (options.genesisFile !== undefined && options.accounts !== undefined) throw invalidArgument('accounts', 'give either a genesis file or an account count, not both');
  const workDir = await mkdtemp(path.join(tmpdir(), 'aurigraph-load-'));
  let genesis: Genesis;
  let genesisFile: string | undefined = options.genesisFile;
  let genesisSource: string;
  if (options.accounts !== undefined) {
    genesis = derivedAccountsGenesis(options.accounts, backend);
    genesisFile = options.genesisOutput ?? path.join(workDir, 'genesis.yaml');
    writeFileSync(genesisFile, renderGenesis(genesis, `${options.accounts} load-test accounts from the published development seeds: INSECURE, for tests only.`));
    genesisSource = `${genesisFile} (${options.accounts} derived accounts, written for this run)`;
  } else if (genesisFile !== undefined) {
    genesis = readGenesisFile(genesisFile);
    genesisSource = genesisFile;
  } else {
    genesis = devGenesis(backend);
    genesisSource = 'config/genesis/dev.yaml (the 8 development accounts)';
  }
  const accounts = loadAccountsFrom(genesis, options.signatureMode, backend);

  let nodes: ReportingLocalNode[] = [];
  let addresses: readonly string[];
  const cleanup = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    if (!options.keepData) await rm(workDir, { recursive: true, force: true });
  };
  try {
    if (options.startNodes !== undefined) {
      if (genesisFile === undefined) {
        genesisFile = path.join(workDir, 'genesis.yaml');
        writeFileSync(genesisFile, renderGenesis(genesis));
      }
      const settings = {
        ...(options.runtimeReportIntervalMs === undefined ? {} : { 'log.runtimeReportIntervalMs': String(options.runtimeReportIntervalMs) }),
        ...options.settings,
      };
      const common = { profile: options.profile ?? 'bench', genesisFile, settings };
      nodes =
        options.startNodes === 1
          ? [await startLocalNode({ ...common, dataDir: path.join(workDir, 'node-1') })]
          : await startLocalCluster({ ...common, size: options.startNodes, baseDir: workDir });
      addresses = nodes.map((node) => node.address);
    } else {
      addresses = options.addresses ?? ['127.0.0.1:9004'];
      if (addresses.length === 0) throw invalidArgument('address', 'give at least one node address');
    }
    const leader = await findLeader(addresses);
    const started = nodes.find((node) => node.address === leader);
    const leaderPid = started?.pid ?? (isLoopback(leader) ? findListeningProcess(portOf(leader)) : undefined);
    return { accounts, genesis, genesisSource, addresses, leader, nodes, leaderPid, leaderNode: started, close: cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
