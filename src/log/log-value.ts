/**
 * Turns any value a caller logs into a JSON-safe tree that cannot leak or explode:
 * binary data becomes {"bytes": N} (never its contents, so key material cannot slip into a log
 * by accident), bigint becomes a decimal string, errors become {name, message, …}, and depth,
 * breadth and string length are bounded so one log call writes one bounded line.
 */

export interface LogValueOptions {
  /** Stack traces are noise at info and above; they are written at debug. */
  includeStack: boolean;
}

const depthMax = 8;
const entriesMax = 100;
const stringLengthMax = 4096;

function boundedString(text: string): string {
  if (text.length <= stringLengthMax) return text;
  return `${text.slice(0, stringLengthMax)}…(+${text.length - stringLengthMax} chars)`;
}

function isBinary(value: object): value is ArrayBufferView | ArrayBuffer | SharedArrayBuffer {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer;
}

function convertEntries(
  entries: Iterable<[string, unknown]>,
  options: LogValueOptions,
  depth: number,
  ancestors: Set<object>,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  let count = 0;
  let omitted = 0;
  for (const [key, value] of entries) {
    if (count === entriesMax) {
      omitted++;
      continue;
    }
    const converted = convert(value, options, depth + 1, ancestors);
    if (converted !== undefined) {
      result[key] = converted;
      count++;
    }
  }
  if (omitted > 0) result['…'] = `${omitted} more entries`;
  return result;
}

function convertError(error: Error, options: LogValueOptions, depth: number, ancestors: Set<object>): Record<string, unknown> {
  const ownFields = Object.entries(error).filter(([key]) => key !== 'stack' && key !== 'message' && key !== 'name');
  const result: Record<string, unknown> = {
    name: error.name,
    message: boundedString(String(error.message)),
    ...convertEntries(ownFields, options, depth, ancestors),
  };
  if (options.includeStack && typeof error.stack === 'string') result['stack'] = boundedString(error.stack);
  if (error.cause !== undefined) result['cause'] = convert(error.cause, options, depth + 1, ancestors);
  return result;
}

function convertObject(value: object, options: LogValueOptions, depth: number, ancestors: Set<object>): unknown {
  if (isBinary(value)) return { bytes: value.byteLength };
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (depth >= depthMax) return '[too deep]';
  if (ancestors.has(value)) return '[circular]';
  ancestors.add(value);
  try {
    if (value instanceof Error) return convertError(value, options, depth, ancestors);
    if (Array.isArray(value) || value instanceof Set) {
      const items = [...value];
      const converted = items.slice(0, entriesMax).map((item) => convert(item, options, depth + 1, ancestors) ?? null);
      if (items.length > entriesMax) converted.push(`… ${items.length - entriesMax} more items`);
      return converted;
    }
    if (value instanceof Map) {
      return convertEntries(
        [...value.entries()].map(([key, item]): [string, unknown] => [String(key), item]),
        options,
        depth,
        ancestors,
      );
    }
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return convert(toJSON.call(value), options, depth + 1, ancestors);
    return convertEntries(Object.entries(value), options, depth, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function convert(value: unknown, options: LogValueOptions, depth: number, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
      return boundedString(value);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      return value === null ? null : convertObject(value, options, depth, ancestors);
  }
}

/** A JSON-safe copy of `value`; undefined, functions and symbols become undefined (dropped). */
export function toLogValue(value: unknown, options: LogValueOptions): unknown {
  return convert(value, options, 0, new Set());
}
