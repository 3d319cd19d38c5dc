import fs from 'node:fs';
import path from 'node:path';
import { failedPrecondition } from '../../errors.js';
import { writeFileDurably } from '../../fs/write-file-durably.js';

/**
 * The operators' free-text labels of keys (GenerateKeyRequest.label), in
 * `<dataDir>/key-labels.json`. The keystore stores keys, not labels, and owns its folder alone,
 * so labels live beside it. A label is written before its key is created: a crash in between
 * leaves a label without a key, which is harmless (the next GenerateKey of that id replaces it),
 * never a key that lost its label.
 *
 * The file is small (one line per key) and rewritten whole, atomically, on each change.
 */

export const keyLabelsFileName = 'key-labels.json';
const format = 'aurigraph-key-labels';
const formatVersion = 1;

export class KeyLabels {
  readonly file: string;
  readonly #labels: Map<string, string>;

  private constructor(file: string, labels: Map<string, string>) {
    this.file = file;
    this.#labels = labels;
  }

  static open(dataDir: string): KeyLabels {
    const file = path.resolve(dataDir, keyLabelsFileName);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new KeyLabels(file, new Map());
      throw error;
    }
    return new KeyLabels(file, parseLabels(file, text));
  }

  /** The key's label; empty when it has none. */
  get(keyId: string): string {
    return this.#labels.get(keyId) ?? '';
  }

  /** Records `label` for `keyId` (an empty label removes it) and makes it durable before returning. */
  set(keyId: string, label: string): void {
    if (this.get(keyId) === label) return;
    const next = new Map(this.#labels);
    if (label.length === 0) next.delete(keyId);
    else next.set(keyId, label);
    writeFileDurably(this.file, encodeLabels(next));
    this.#labels.clear();
    for (const [id, text] of next) this.#labels.set(id, text);
  }
}

function encodeLabels(labels: Map<string, string>): string {
  const sorted = Object.fromEntries([...labels].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0)));
  return `${JSON.stringify({ format, formatVersion, labels: sorted }, null, 2)}\n`;
}

function parseLabels(file: string, text: string): Map<string, string> {
  const fail = (problem: string): Error =>
    failedPrecondition(`key labels file ${file}: ${problem}; restore it from a backup or delete it to drop every label`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw fail('not valid JSON');
  }
  const record = value as { format?: unknown; formatVersion?: unknown; labels?: unknown } | null;
  if (typeof record !== 'object' || record === null || record.format !== format) throw fail(`format must be "${format}"`);
  if (record.formatVersion !== formatVersion) throw fail(`formatVersion must be ${formatVersion}`);
  const labels = record.labels;
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) throw fail('labels must be an object of key id → label');
  const result = new Map<string, string>();
  for (const [keyId, label] of Object.entries(labels)) {
    if (typeof label !== 'string') throw fail(`the label of "${keyId}" must be a string`);
    result.set(keyId, label);
  }
  return result;
}

