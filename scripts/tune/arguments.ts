/**
 * The command line of `scripts/tune`. `--quick` (about three minutes) measures short points over
 * two values per knob in one pass and leaves BENCHMARKS.md alone; without it (about ten to
 * fifteen minutes) every knob's full list, up to two passes within the time budget.
 */
import path from 'node:path';
import { invalidArgument } from '../../src/errors.js';
import type { MemoryMeasure } from './sweep.js';

export interface TuneArguments {
  readonly quick: boolean;
  readonly profile: string;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly latencyWarmupMs: number;
  readonly latencyDurationMs: number;
  readonly memorySampleIntervalMs: number;
  readonly passesMax: number;
  readonly repeats: number;
  readonly budgetMs: number;
  readonly memoryBoundBytes: number;
  readonly memoryMeasure: MemoryMeasure;
  readonly moveThresholdRatio: number;
  readonly resultsDir: string;
  readonly writeBenchmarks: boolean;
  /** Extra `--set PATH=VALUE` for every node (memory caps, say), the same at every point. */
  readonly fixedOverrides: Readonly<Record<string, string>>;
}

export const usage = `node dist/scripts/tune.js [options]    (npm run tune)
  --quick                  about 3 minutes: short points, two values per knob, one pass; BENCHMARKS.md untouched
  --profile NAME           profile the nodes start from (default bench); the knobs are --set on top
  --warmup-ms N            closed-loop warm-up per point (default 3000; quick 1000)
  --measure-ms N           closed-loop measured window per point (default 6000; quick 2000)
  --latency-warmup-ms N    open-loop warm-up at half peak (default 1000; quick 500)
  --latency-ms N           open-loop measured window at half peak (default 4000; quick 1500)
  --passes N               coordinate passes at most (default 2; quick 1)
  --repeats N              runs of defaults and of best at the end, alternating A B A B (default 2)
  --budget-minutes N       later passes start no point past this (default 15; quick 3)
  --memory-bound-mib N     reject points whose node memory peaks above N MiB (default 256)
  --memory-measure M       rss-anon (default: the node's own memory) or vm-rss (with LMDB's mapped pages)
  --move-threshold PCT     a knob moves only for a gain above PCT percent (default 5)
  --set PATH=VALUE         an extra setting for every node (repeatable)
  --results DIR            where the JSON result goes (default ./data/tune)
  --no-write               leave BENCHMARKS.md alone (implied by --quick)`;

function positiveInteger(flag: string, text: string | undefined, minimum = 1): number {
  const value = Number(text);
  if (text === undefined || !Number.isSafeInteger(value) || value < minimum) throw invalidArgument(flag, `expects a whole number of at least ${minimum}, got ${text ?? 'nothing'}\n${usage}`);
  return value;
}

export function parseTuneArguments(argv: readonly string[], workingDirectory: string = process.cwd()): TuneArguments {
  const quick = argv.includes('--quick');
  const values = {
    profile: 'bench',
    warmupMs: quick ? 1000 : 3000,
    durationMs: quick ? 2000 : 6000,
    latencyWarmupMs: quick ? 500 : 1000,
    latencyDurationMs: quick ? 1500 : 4000,
    memorySampleIntervalMs: quick ? 250 : 500,
    passesMax: quick ? 1 : 2,
    repeats: 2,
    budgetMs: (quick ? 3 : 15) * 60_000,
    memoryBoundBytes: 256 * 2 ** 20,
    memoryMeasure: 'rss-anon' as MemoryMeasure,
    moveThresholdRatio: 0.05,
    resultsDir: path.resolve(workingDirectory, 'data/tune'),
    writeBenchmarks: !quick,
  };
  const fixedOverrides: Record<string, string> = {};
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index]!;
    const next = (): string | undefined => argv[++index];
    switch (flag) {
      case '--quick':
        break;
      case '--profile': {
        const name = next();
        if (name === undefined || name.startsWith('--')) throw invalidArgument('--profile', `expects a profile name\n${usage}`);
        values.profile = name;
        break;
      }
      case '--warmup-ms':
        values.warmupMs = positiveInteger(flag, next(), 2);
        break;
      case '--measure-ms':
        values.durationMs = positiveInteger(flag, next());
        break;
      case '--latency-warmup-ms':
        values.latencyWarmupMs = positiveInteger(flag, next(), 0);
        break;
      case '--latency-ms':
        values.latencyDurationMs = positiveInteger(flag, next());
        break;
      case '--passes':
        values.passesMax = positiveInteger(flag, next());
        break;
      case '--repeats':
        values.repeats = positiveInteger(flag, next());
        break;
      case '--budget-minutes':
        values.budgetMs = positiveInteger(flag, next()) * 60_000;
        break;
      case '--memory-bound-mib':
        values.memoryBoundBytes = positiveInteger(flag, next()) * 2 ** 20;
        break;
      case '--memory-measure': {
        const measure = next();
        if (measure !== 'rss-anon' && measure !== 'vm-rss') throw invalidArgument(flag, `expects rss-anon or vm-rss, got ${measure ?? 'nothing'}`);
        values.memoryMeasure = measure;
        break;
      }
      case '--move-threshold': {
        const text = next();
        const percent = Number(text);
        if (text === undefined || !Number.isFinite(percent) || percent < 0 || percent >= 100) throw invalidArgument(flag, `expects a percentage in [0, 100), got ${text ?? 'nothing'}`);
        values.moveThresholdRatio = percent / 100;
        break;
      }
      case '--set': {
        const assignment = next() ?? '';
        const equals = assignment.indexOf('=');
        if (equals <= 0) throw invalidArgument(flag, `expects PATH=VALUE, got ${assignment || 'nothing'}`);
        fixedOverrides[assignment.slice(0, equals)] = assignment.slice(equals + 1);
        break;
      }
      case '--results': {
        const folder = next();
        if (folder === undefined) throw invalidArgument(flag, 'expects a folder');
        values.resultsDir = path.resolve(workingDirectory, folder);
        break;
      }
      case '--no-write':
        values.writeBenchmarks = false;
        break;
      default:
        throw invalidArgument('arguments', `unknown option ${flag}\n${usage}`);
    }
  }
  return { quick, ...values, fixedOverrides };
}
