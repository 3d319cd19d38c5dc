/** Test helper: a throwaway copy of proto/ that a test may edit. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { protoDir } from '../../src/paths.js';

export interface ProtoCopy {
  directory: string;
  /** Replaces exactly one occurrence of `from` in a proto file of the copy. */
  edit(relativeFile: string, from: string, to: string): void;
  remove(): void;
}

export function copyProtoDirectory(): ProtoCopy {
  const root = mkdtempSync(path.join(tmpdir(), 'aurigraph-proto-'));
  const directory = path.join(root, 'proto');
  cpSync(protoDir, directory, { recursive: true });
  return {
    directory,
    edit(relativeFile, from, to) {
      const file = path.join(directory, relativeFile);
      const text = readFileSync(file, 'utf8');
      const occurrences = text.split(from).length - 1;
      if (occurrences !== 1) throw new Error(`${relativeFile}: expected one "${from}", found ${occurrences}`);
      writeFileSync(file, text.replace(from, to));
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
