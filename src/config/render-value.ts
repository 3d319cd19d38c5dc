/** How a configuration value appears in an error message: short, quoted when it is a string. */

const renderedLengthMax = 80;

export function renderValue(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'nothing';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else text = JSON.stringify(value) ?? String(value);
  return text.length > renderedLengthMax ? `${text.slice(0, renderedLengthMax - 1)}…` : text;
}

/** 'a string', 'a list', … for "got …" in wrong-type messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a non-integer number';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'undefined') return 'nothing';
  return `a ${typeof value}`;
}

export function isPlainMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
