/**
 * The five settings `scripts/tune` sweeps, how each maps onto the node's configuration (the
 * `--set` overrides a point's node is started with) and onto the client (the batch size), and
 * the values tried. The order of `knobs` is the sweep order: batch size first, because it sets
 * the per-batch fixed costs (one gRPC message, one Raft entry, one fsync share, one block) that
 * every other knob then trades against; the group-commit window last, because its effect
 * depends on how many batches arrive per fsync, which the others decide.
 */
import { loadConfig, type NodeConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/config/index.js';
import { assert } from '../../src/errors.js';

/** One point of the sweep: a value for every knob. */
export interface TuneSettings {
  readonly batchTransactions: number;
  readonly shardCount: number;
  readonly piscinaThreads: number;
  readonly ringRecords: number;
  readonly groupCommitWindowMs: number;
}

export type KnobName = keyof TuneSettings;

export interface Knob {
  readonly name: KnobName;
  /** The configuration field(s) it sets, for tables and docs. */
  readonly configPath: string;
  /** A short label for tables: "batch", "shards". */
  readonly label: string;
  /** Values of the full sweep, ascending. */
  readonly values: readonly number[];
  /** Values of `--quick`, a subset of `values`: the defaults' value and one alternative worth knowing about. */
  readonly quickValues: readonly number[];
}

export const knobs: readonly Knob[] = [
  {
    name: 'batchTransactions',
    configPath: 'batching.maxBatchTransactions (and the client batch size)',
    label: 'batch',
    values: [1024, 4096, 8192, 16384],
    quickValues: [4096, 8192],
  },
  { name: 'shardCount', configPath: 'shards.count', label: 'shards', values: [1, 2, 4], quickValues: [1, 2] },
  { name: 'piscinaThreads', configPath: 'workers.piscinaThreads', label: 'threads', values: [1, 2, 3, 4], quickValues: [2, 3] },
  { name: 'ringRecords', configPath: 'shards.ringRecords', label: 'ring', values: [2048, 4096, 8192, 16384, 32768], quickValues: [2048, 8192] },
  { name: 'groupCommitWindowMs', configPath: 'batching.groupCommitWindowMs', label: 'window ms', values: [0, 1, 2, 5, 10], quickValues: [0, 2] },
];

export function knobNamed(name: KnobName): Knob {
  const knob = knobs.find((candidate) => candidate.name === name);
  assert(knob !== undefined, `${name} is a knob`);
  return knob;
}

/** The knobs' values in a loaded configuration (the client batch follows the node's largest). */
export function settingsOf(config: NodeConfig): TuneSettings {
  return {
    batchTransactions: config.batching.maxBatchTransactions,
    shardCount: config.shards.count,
    piscinaThreads: config.workers.piscinaThreads,
    ringRecords: config.shards.ringRecords,
    groupCommitWindowMs: config.batching.groupCommitWindowMs,
  };
}

/** config/defaults.yaml's values of the knobs: where the sweep starts and what the gain is over. */
export function defaultSettings(configDir?: string): TuneSettings {
  return settingsOf(loadConfig({ env: {}, ...(configDir === undefined ? {} : { configDir }) }));
}

/** The `--set` overrides that start a node at `settings` (on top of its profile). */
export function nodeOverridesOf(settings: TuneSettings): Record<string, string> {
  return {
    'batching.maxBatchTransactions': String(settings.batchTransactions),
    'shards.count': String(settings.shardCount),
    'workers.piscinaThreads': String(settings.piscinaThreads),
    'shards.ringRecords': String(settings.ringRecords),
    'batching.groupCommitWindowMs': String(settings.groupCommitWindowMs),
  };
}

/** "batch 4,096 · shards 2 · threads 2 · ring 8,192 · window ms 2": also the key of a point. */
export function describeSettings(settings: TuneSettings): string {
  return knobs.map((knob) => `${knob.label} ${settings[knob.name].toLocaleString('en-US')}`).join(' · ');
}

export function sameSettings(left: TuneSettings, right: TuneSettings): boolean {
  return knobs.every((knob) => left[knob.name] === right[knob.name]);
}

/** `settings` with one knob changed. */
export function withKnob(settings: TuneSettings, name: KnobName, value: number): TuneSettings {
  return { ...settings, [name]: value };
}

/**
 * The configuration a node at `settings` would run with under `profile`, or the loader's own
 * message naming the field when the combination is invalid (a ring over 2 GiB, a batch larger
 * than batching.maxInflightTransactions, ...): such a point is reported, never started.
 */
export function configurationAt(
  profile: string,
  settings: TuneSettings,
  fixedOverrides: Readonly<Record<string, string>> = {},
  configDir?: string,
): { config: NodeConfig } | { invalid: string } {
  try {
    const overrides = { ...fixedOverrides, ...nodeOverridesOf(settings) };
    return { config: loadConfig({ profile, env: {}, overrides, ...(configDir === undefined ? {} : { configDir }) }) };
  } catch (error) {
    if (error instanceof ConfigError) return { invalid: error.message.split('\n').filter((line) => line.trim() !== '').slice(0, 3).join(' ') };
    throw error;
  }
}

/** Bytes of shard-ring memory (SharedArrayBuffers sized at start) a configuration asks for. */
export function ringMemoryBytes(config: NodeConfig): number {
  return config.shards.count * config.shards.ringRecords * config.shards.ringRecordBytes;
}
