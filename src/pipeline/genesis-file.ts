/**
 * The genesis document on disk (ledger.genesisFile): YAML holding the chain id, the fee account
 * and the first accounts with their balances and keys, read into the ledger's `Genesis`. The
 * format is in config/genesis/README.md:
 *
 *   chainId: 1
 *   feeAccount: <64 hex digits>
 *   allocations:
 *     - accountId: <64 hex digits>
 *       balance: 1000000000000          # an integer, or a decimal string for values past 2^53
 *       keys:                            # optional
 *         - role: ACCOUNT_SIGNING        # or BATCH_SUBMITTER
 *           algorithm: ML_DSA_65         # ML_DSA_44, ML_DSA_65 or ML_DSA_87
 *           publicKey: <base64>          # the raw FIPS 204 public key
 *
 * Errors name the file and the field (`genesis.allocations[3].balance`). The ledger checks the
 * rest (lengths, supply bound, duplicates) when it computes genesis; its errors name fields the
 * same way.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { AurigraphError, invalidArgument } from '../errors.js';
import { KeyAlgorithm, KeyRole } from '../generated/aurigraph.js';
import type { Genesis, GenesisAllocation, GenesisKey } from '../ledger/index.js';

const hexIdPattern = /^[0-9a-fA-F]{64}$/;
const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;
const decimalPattern = /^[0-9]{1,20}$/;
const topLevelKeys = new Set(['chainId', 'feeAccount', 'allocations']);
const allocationKeys = new Set(['accountId', 'balance', 'keys']);
const keyKeys = new Set(['role', 'algorithm', 'publicKey']);

/** Reads and checks `file`; throws invalid_argument naming the file and the field. */
export function readGenesisFile(file: string): Genesis {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw invalidArgument('ledger.genesisFile', `${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read: ${(error as Error).message}`}`);
  }
  try {
    return parseGenesis(text);
  } catch (error) {
    if (error instanceof AurigraphError) throw invalidArgument('ledger.genesisFile', `${file}: ${error.message}`);
    throw error;
  }
}

/** Parses a genesis document's text. */
export function parseGenesis(text: string): Genesis {
  const document = parseDocument(text, { intAsBigInt: true, prettyErrors: true });
  const problem = [...document.errors, ...document.warnings][0];
  if (problem !== undefined) throw invalidArgument('genesis', `is not valid YAML: ${problem.message.split('\n')[0]}`);
  const root: unknown = document.toJS();
  const mapping = requireMapping(root, 'genesis', topLevelKeys);
  const allocations = mapping['allocations'];
  if (!Array.isArray(allocations)) throw invalidArgument('genesis.allocations', 'must be a list of allocations');
  return {
    chainId: readChainId(mapping['chainId']),
    feeAccount: readHexId(mapping['feeAccount'], 'genesis.feeAccount'),
    allocations: allocations.map((allocation, index) => readAllocation(allocation, `genesis.allocations[${index}]`)),
  };
}

function readAllocation(value: unknown, field: string): GenesisAllocation {
  const mapping = requireMapping(value, field, allocationKeys);
  const keys = mapping['keys'];
  if (keys !== undefined && !Array.isArray(keys)) throw invalidArgument(`${field}.keys`, 'must be a list of keys');
  return {
    accountId: readHexId(mapping['accountId'], `${field}.accountId`),
    balance: readU64(mapping['balance'], `${field}.balance`),
    keys: (keys ?? []).map((key: unknown, index: number) => readKey(key, `${field}.keys[${index}]`)),
  };
}

function readKey(value: unknown, field: string): GenesisKey {
  const mapping = requireMapping(value, field, keyKeys);
  return {
    role: readEnum(mapping['role'], `${field}.role`, { ACCOUNT_SIGNING: KeyRole.ACCOUNT_SIGNING, BATCH_SUBMITTER: KeyRole.BATCH_SUBMITTER }),
    algorithm: readEnum(mapping['algorithm'], `${field}.algorithm`, {
      ML_DSA_44: KeyAlgorithm.ML_DSA_44,
      ML_DSA_65: KeyAlgorithm.ML_DSA_65,
      ML_DSA_87: KeyAlgorithm.ML_DSA_87,
    }),
    publicKey: readBase64(mapping['publicKey'], `${field}.publicKey`),
  };
}

function requireMapping(value: unknown, field: string, allowed: ReadonlySet<string>): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidArgument(field, 'must be a mapping');
  const mapping = value as Record<string, unknown>;
  for (const key of Object.keys(mapping)) {
    if (!allowed.has(key)) throw invalidArgument(`${field}.${key}`, `is not a known key; expected ${[...allowed].join(', ')}`);
  }
  for (const key of allowed) {
    if (key !== 'keys' && mapping[key] === undefined) throw invalidArgument(`${field}.${key}`, 'is missing');
  }
  return mapping;
}

function readChainId(value: unknown): number {
  if (typeof value !== 'bigint' || value < 0n || value > 0xffffffffn) {
    throw invalidArgument('genesis.chainId', `must be an integer from 0 to 4294967295, got ${describe(value)}`);
  }
  return Number(value);
}

function readU64(value: unknown, field: string): bigint {
  const parsed = typeof value === 'bigint' ? value : typeof value === 'string' && decimalPattern.test(value) ? BigInt(value) : undefined;
  if (parsed === undefined || parsed < 0n || parsed > (1n << 64n) - 1n) {
    throw invalidArgument(field, `must be an integer from 0 to 2^64 - 1 (write large values as a decimal string), got ${describe(value)}`);
  }
  return parsed;
}

function readHexId(value: unknown, field: string): Uint8Array {
  if (typeof value !== 'string' || !hexIdPattern.test(value)) throw invalidArgument(field, `must be 64 hex digits (32 bytes), got ${describe(value)}`);
  return new Uint8Array(Buffer.from(value, 'hex'));
}

function readBase64(value: unknown, field: string): Uint8Array {
  const text = typeof value === 'string' ? value.replace(/\s+/g, '') : undefined;
  if (text === undefined || text.length === 0 || text.length % 4 !== 0 || !base64Pattern.test(text)) {
    throw invalidArgument(field, `must be the public key in base64, got ${describe(value)}`);
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function readEnum<Value extends number>(value: unknown, field: string, names: Record<string, Value>): Value {
  if (typeof value === 'string' && Object.hasOwn(names, value)) return names[value]!;
  throw invalidArgument(field, `must be one of ${Object.keys(names).join(', ')}, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined || value === null) return 'nothing';
  return Array.isArray(value) ? 'a list' : typeof value;
}

/** The YAML text of a genesis document, in the format readGenesisFile reads (for tools and tests). */
export function renderGenesis(genesis: Genesis, headerComment = ''): string {
  const roleNames: Record<number, string> = { [KeyRole.ACCOUNT_SIGNING]: 'ACCOUNT_SIGNING', [KeyRole.BATCH_SUBMITTER]: 'BATCH_SUBMITTER' };
  const algorithmNames: Record<number, string> = {
    [KeyAlgorithm.ML_DSA_44]: 'ML_DSA_44',
    [KeyAlgorithm.ML_DSA_65]: 'ML_DSA_65',
    [KeyAlgorithm.ML_DSA_87]: 'ML_DSA_87',
  };
  const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
  const lines: string[] = headerComment === '' ? [] : headerComment.split('\n').map((line) => (line === '' ? '#' : `# ${line}`));
  lines.push(`chainId: ${genesis.chainId}`, `feeAccount: "${hex(genesis.feeAccount)}"`, 'allocations:');
  for (const allocation of genesis.allocations) {
    lines.push(`  - accountId: "${hex(allocation.accountId)}"`, `    balance: "${allocation.balance}"`);
    const keys = allocation.keys ?? [];
    if (keys.length === 0) continue;
    lines.push('    keys:');
    for (const key of keys) {
      lines.push(
        `      - role: ${roleNames[key.role] ?? String(key.role)}`,
        `        algorithm: ${algorithmNames[key.algorithm] ?? String(key.algorithm)}`,
        `        publicKey: ${Buffer.from(key.publicKey).toString('base64')}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
