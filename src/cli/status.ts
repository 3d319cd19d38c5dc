import { createClient } from '../client/index.js';
import { SERVICES } from '../generated/aurigraph.js';
import { CliUsageError, parseCommandLine } from './usage.js';

const help = `Usage: aurigraph status [options]

Asks a running node over gRPC for its health, as a whole and per service, and prints it as
JSON. Exit code 0 when the node is SERVING, 1 when it is not or cannot be reached.

Options:
  --address HOST:PORT  the node's gRPC address (default: 127.0.0.1:9004)
  --timeout-ms N       how long to wait for the node (default: 5000)
  --help               show this help
`;

const options = {
  address: { type: 'string' },
  'timeout-ms': { type: 'string' },
  help: { type: 'boolean' },
} as const;

export async function runStatus(args: string[]): Promise<number> {
  const { values } = parseCommandLine(args, options);
  if (values.help) {
    process.stdout.write(help);
    return 0;
  }
  const address = values.address ?? '127.0.0.1:9004';
  const timeoutMs = Number(values['timeout-ms'] ?? 5000);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new CliUsageError(`--timeout-ms must be a positive whole number of milliseconds, got '${values['timeout-ms']}'`);
  }
  const client = createClient(address, { deadlineMs: timeoutMs });
  try {
    const node = await client.health.check('', { deadlineMs: timeoutMs });
    const services: Record<string, string> = {};
    for (const { name } of Object.values(SERVICES)) {
      const status = await client.health.check(name, { deadlineMs: timeoutMs });
      services[name] = status === 'SERVICE_UNKNOWN' ? 'NOT_HOSTED' : status;
    }
    process.stdout.write(`${JSON.stringify({ address, status: node, services }, null, 2)}\n`);
    return node === 'SERVING' ? 0 : 1;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stdout.write(`${JSON.stringify({ address, status: 'UNREACHABLE', error: message }, null, 2)}\n`);
    return 1;
  } finally {
    client.close();
  }
}
