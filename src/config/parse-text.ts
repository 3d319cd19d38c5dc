import { describeAllowed } from './field-check.js';
import type { FieldProblem } from './field-check.js';
import type { ConfigField } from './schema.js';
import type { PeerConfig } from './types.js';

/**
 * Environment variables and command-line flags arrive as text; this turns the text into the
 * field's type, so the same validator then checks it like a value read from YAML.
 * Peers are written "id=host:port,id=host:port"; an empty string is the empty list.
 */

export type ParsedText = { ok: true; value: unknown } | { ok: false; problem: FieldProblem };

function unparsable(field: ConfigField, text: string, expected: string): ParsedText {
  return {
    ok: false,
    problem: {
      field: field.path,
      message: `${field.path} = ${JSON.stringify(text)} has the wrong type: expected ${expected}; ${describeAllowed(field)}`,
    },
  };
}

function parsePeers(field: ConfigField, text: string): ParsedText {
  if (text.trim() === '') return { ok: true, value: [] };
  const peers: PeerConfig[] = [];
  for (const item of text.split(',')) {
    const entry = item.trim();
    const equals = entry.indexOf('=');
    if (equals <= 0) return unparsable(field, text, 'a list "id=host:port,id=host:port"');
    peers.push({ id: entry.slice(0, equals).trim(), address: entry.slice(equals + 1).trim() });
  }
  return { ok: true, value: peers };
}

export function parseFieldText(field: ConfigField, text: string): ParsedText {
  switch (field.kind) {
    case 'integer': {
      const trimmed = text.trim();
      if (!/^-?[0-9]+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
        return unparsable(field, text, 'an integer');
      }
      return { ok: true, value: Number(trimmed) };
    }
    case 'boolean': {
      const trimmed = text.trim();
      if (trimmed === 'true') return { ok: true, value: true };
      if (trimmed === 'false') return { ok: true, value: false };
      return unparsable(field, text, 'true or false');
    }
    case 'string':
    case 'enum':
      return { ok: true, value: text };
    case 'peers':
      return parsePeers(field, text);
  }
}
