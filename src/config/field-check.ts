import { describeType, isPlainMapping, renderValue } from './render-value.js';
import { hostDescription, hostPattern, nodeIdDescription, nodeIdPattern } from './schema.js';
import type { ConfigField, IntegerSpec, PeersSpec } from './schema.js';

/**
 * The validator generated from the schema: one function per field kind, each driven only by the
 * field's description in schema.ts. A problem names the field path (down to a peer's entry) and
 * carries the full sentence for the error message.
 */

export interface FieldProblem {
  field: string;
  message: string;
}

const unitsWorthNaming = new Set<IntegerSpec['unit']>(['bytes', 'mebibytes', 'ms', 'ticks']);

function describeIntegerAllowed(spec: IntegerSpec): string {
  const unit = unitsWorthNaming.has(spec.unit) ? ` (${spec.unit})` : '';
  if (spec.powerOfTwo) return `must be a power of two between ${spec.min} and ${spec.max}${unit}`;
  if (spec.multipleOf !== undefined) {
    return `must be a multiple of ${spec.multipleOf} between ${spec.min} and ${spec.max}${unit}`;
  }
  return `must be an integer between ${spec.min} and ${spec.max}${unit}`;
}

function describePeersAllowed(spec: PeersSpec): string {
  return (
    `must be a list of at most ${spec.maxEntries} peers, each a mapping {id, address} ` +
    `with a unique id and a unique address "host:port"`
  );
}

/** What the field accepts, as the end of a sentence: "must be …". */
export function describeAllowed(field: ConfigField): string {
  switch (field.kind) {
    case 'integer':
      return describeIntegerAllowed(field);
    case 'boolean':
      return 'must be true or false';
    case 'string':
      return `must be ${field.patternDescription}`;
    case 'enum':
      return `must be one of: ${field.values.join(', ')}`;
    case 'peers':
      return describePeersAllowed(field);
  }
}

function expectedType(field: ConfigField): string {
  switch (field.kind) {
    case 'integer':
      return 'an integer';
    case 'boolean':
      return 'a boolean';
    case 'string':
    case 'enum':
      return 'a string';
    case 'peers':
      return 'a list';
  }
}

export function wrongType(field: ConfigField, value: unknown): FieldProblem {
  return {
    field: field.path,
    message:
      `${field.path} = ${renderValue(value)} has the wrong type: expected ${expectedType(field)}, ` +
      `got ${describeType(value)}; ${describeAllowed(field)}`,
  };
}

function notAllowed(fieldPath: string, value: unknown, allowed: string): FieldProblem {
  return { field: fieldPath, message: `${fieldPath} = ${renderValue(value)} is not allowed: ${allowed}` };
}

function isPowerOfTwo(value: number): boolean {
  return value > 0 && Number.isSafeInteger(value) && (value & (value - 1)) === 0;
}

function checkInteger(field: ConfigField & IntegerSpec, value: unknown): FieldProblem[] {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return [wrongType(field, value)];
  const inRange = value >= field.min && value <= field.max;
  const powerOfTwoHolds = !field.powerOfTwo || isPowerOfTwo(value);
  const multipleHolds = field.multipleOf === undefined || value % field.multipleOf === 0;
  if (inRange && powerOfTwoHolds && multipleHolds) return [];
  return [notAllowed(field.path, value, describeIntegerAllowed(field))];
}

/** "host:port" or "[v6]:port"; returns what is wrong, or undefined. */
export function peerAddressProblem(address: string): string | undefined {
  const colon = address.lastIndexOf(':');
  if (colon <= 0) return 'must be "host:port"';
  let host = address.slice(0, colon);
  const portText = address.slice(colon + 1);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (!hostPattern.test(host)) return `must be "host:port" with host ${hostDescription}`;
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    return 'must be "host:port" with a port between 1 and 65535';
  }
  return undefined;
}

const peerKeys = new Set(['id', 'address']);

function checkPeers(field: ConfigField & PeersSpec, value: unknown): FieldProblem[] {
  if (!Array.isArray(value)) return [wrongType(field, value)];
  const problems: FieldProblem[] = [];
  if (value.length > field.maxEntries) {
    problems.push(notAllowed(field.path, `${value.length} peers`, describePeersAllowed(field)));
  }
  const idsSeen = new Map<string, number>();
  const addressesSeen = new Map<string, number>();
  value.forEach((entry: unknown, index) => {
    const entryPath = `${field.path}[${index}]`;
    if (!isPlainMapping(entry)) {
      problems.push({
        field: entryPath,
        message: `${entryPath} = ${renderValue(entry)} has the wrong type: expected a mapping {id, address}, got ${describeType(entry)}`,
      });
      return;
    }
    for (const key of Object.keys(entry)) {
      if (!peerKeys.has(key)) {
        problems.push({ field: `${entryPath}.${key}`, message: `${entryPath}.${key} is not a known key: a peer has only id and address` });
      }
    }
    const { id, address } = entry;
    if (typeof id !== 'string' || !nodeIdPattern.test(id)) {
      problems.push(notAllowed(`${entryPath}.id`, id, `must be ${nodeIdDescription}`));
    } else if (idsSeen.has(id)) {
      problems.push(notAllowed(`${entryPath}.id`, id, `must be unique, but raft.peers[${idsSeen.get(id)}] has the same id`));
    } else {
      idsSeen.set(id, index);
    }
    const addressProblem = typeof address === 'string' ? peerAddressProblem(address) : 'must be a string "host:port"';
    if (addressProblem !== undefined) {
      problems.push(notAllowed(`${entryPath}.address`, address, addressProblem));
    } else if (addressesSeen.has(address as string)) {
      problems.push(
        notAllowed(`${entryPath}.address`, address, `must be unique, but raft.peers[${addressesSeen.get(address as string)}] has the same address`),
      );
    } else {
      addressesSeen.set(address as string, index);
    }
  });
  return problems;
}

/** Every problem with one field's value; an empty list means the value is valid. */
export function checkFieldValue(field: ConfigField, value: unknown): FieldProblem[] {
  switch (field.kind) {
    case 'integer':
      return checkInteger(field, value);
    case 'boolean':
      return typeof value === 'boolean' ? [] : [wrongType(field, value)];
    case 'string':
      if (typeof value !== 'string') return [wrongType(field, value)];
      return field.pattern.test(value) ? [] : [notAllowed(field.path, value, describeAllowed(field))];
    case 'enum':
      if (typeof value !== 'string') return [wrongType(field, value)];
      return field.values.includes(value) ? [] : [notAllowed(field.path, value, describeAllowed(field))];
    case 'peers':
      return checkPeers(field, value);
  }
}
