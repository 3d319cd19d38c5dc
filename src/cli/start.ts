import { loadConfig } from '../config/loader.js';
import { ConfigError } from '../config/errors.js';
import { createLogger } from '../log/logger.js';
import { relaunchForMemoryLimits } from '../node/memory-limits.js';
import { startNode } from '../node/node.js';
import { CliUsageError, parseCommandLine } from './usage.js';

const help = `Usage: aurigraph start [options]

Runs a node in the foreground until SIGINT or SIGTERM, which drain it: the port stops
accepting calls, calls in flight finish, the threads stop and LMDB is closed; exit code 0.

Options:
  --profile NAME|FILE  config profile: a name in config/ (default: dev) or a YAML file path
  --data-dir DIR       folder for the node's LMDB files (node.dataDir)
  --port N             gRPC port (grpc.port; 0 picks a free port)
  --host HOST          gRPC listen address (grpc.host)
  --set PATH=VALUE     set any config field by its dotted path, e.g. --set shards.count=4
                       (repeatable)
  --help               show this help

Precedence: config/defaults.yaml < profile < AURIGRAPH_* environment variables < flags.
Logs are JSON lines on stderr.
`;

const options = {
  profile: { type: 'string' },
  'data-dir': { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  set: { type: 'string', multiple: true },
  help: { type: 'boolean' },
} as const;

/** Flags become dotted config overrides, so the loader validates them like any other source. */
function overridesFrom(values: ReturnType<typeof parseCommandLine<typeof options>>['values']): Record<string, string> {
  const overrides: Record<string, string> = {};
  if (values['data-dir'] !== undefined) overrides['node.dataDir'] = values['data-dir'];
  if (values.port !== undefined) overrides['grpc.port'] = values.port;
  if (values.host !== undefined) overrides['grpc.host'] = values.host;
  for (const assignment of values.set ?? []) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw new CliUsageError(`--set expects PATH=VALUE, got '${assignment}'`);
    overrides[assignment.slice(0, equals)] = assignment.slice(equals + 1);
  }
  return overrides;
}

export async function runStart(args: string[]): Promise<number> {
  const { values } = parseCommandLine(args, options);
  if (values.help) {
    process.stdout.write(help);
    return 0;
  }
  let config;
  try {
    config = loadConfig({
      profile: values.profile ?? process.env['AURIGRAPH_PROFILE'] ?? 'dev',
      env: process.env,
      overrides: overridesFrom(values),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`aurigraph start: invalid configuration\n${error.message}\n`);
      return 1;
    }
    throw error;
  }

  // V8's heap caps and MALLOC_ARENA_MAX only take effect at process start, so the
  // process replaces itself (same pid, signals and stdio) with one that has them, once.
  const relaunch = relaunchForMemoryLimits(config.memory, { execArgv: process.execArgv, env: process.env });
  if (relaunch !== undefined && typeof process.execve === 'function') {
    process.execve(process.execPath, [process.execPath, ...relaunch.execArgv, ...process.argv.slice(1)], relaunch.env);
  }

  const logger = createLogger({ level: config.log.level, component: 'node' });
  if (relaunch !== undefined) {
    logger.warn('memory caps of the main thread and malloc not applied: this platform cannot re-execute a process', {
      fields: ['memory.threadOldGenerationMb', 'memory.threadYoungGenerationMb', 'memory.mallocArenas'],
    });
  }
  // Signals are handled from the first moment, so one that arrives while the threads start
  // still drains the node instead of killing it half-started.
  let signalled: NodeJS.Signals | undefined;
  let onSignal: (signal: NodeJS.Signals) => void = (signal) => {
    signalled = signal;
  };
  const handleSignal = (signal: NodeJS.Signals): void => onSignal(signal);
  process.on('SIGINT', handleSignal);
  process.on('SIGTERM', handleSignal);

  let node: Awaited<ReturnType<typeof startNode>>;
  try {
    node = await startNode(config, logger);
  } catch (error) {
    logger.error('node failed to start', { error });
    return 1;
  }

  const stopped = new Promise<number>((resolve) => {
    let draining = false;
    onSignal = (signal) => {
      if (draining) {
        logger.warn('second signal: exiting without finishing the drain', { signal });
        process.exit(130);
      }
      draining = true;
      logger.info('draining', { signal });
      node.stop().then(
        () => resolve(0),
        (error: unknown) => {
          logger.error('drain failed', { error });
          resolve(1);
        },
      );
    };
    if (signalled) onSignal(signalled);
    void node.failed.then(async (error) => {
      logger.error('a node thread failed; stopping', { error });
      await node.stop({ graceMs: 1_000 }).catch(() => undefined);
      resolve(1);
    });
  });
  const exitCode = await stopped;
  logger.info('node stopped', { exitCode });
  return exitCode;
}
