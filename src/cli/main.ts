#!/usr/bin/env node
/**
 * `aurigraph`: the one executable. Each command lives in its own module; this file only
 * dispatches, so `aurigraph --help` and `aurigraph <command> --help` stay in one place.
 */
import { runStart } from './start.js';
import { runStatus } from './status.js';
import { REPORT_COMMAND_SUMMARY, runReportCommand } from '../report/index.js';
import { CliUsageError } from './usage.js';
import { LOAD_COMMAND_SUMMARY, runLoad } from './load.js';
import { SOAK_COMMAND_SUMMARY, runSoakCommand } from './soak.js';

interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

const commands: Record<string, Command> = {
  start: { summary: 'run a node (single node by default, data in ./data/node-1)', run: runStart },
  status: { summary: 'ask a running node over gRPC how it is', run: runStatus },
  report: { summary: REPORT_COMMAND_SUMMARY, run: runReportCommand },
  load: { summary: LOAD_COMMAND_SUMMARY, run: runLoad },
  soak: { summary: SOAK_COMMAND_SUMMARY, run: runSoakCommand },
};

const overview = `aurigraph: a permissioned, post-quantum ledger node

Usage: aurigraph <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(8)} ${command.summary}`)
  .join('\n')}

Run 'aurigraph <command> --help' for the options of a command.
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`aurigraph: unknown command '${name}'\n\n${overview}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof CliUsageError) {
      process.stderr.write(`aurigraph ${name}: ${error.message}\nRun 'aurigraph ${name} --help' for usage.\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
