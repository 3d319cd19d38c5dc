import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { repoRoot } from '../src/paths.js';

/**
 * Reads Project Wycheproof vector files in place (gzipped JSON) from
 * $AURIGRAPH_VECTORS_DIR/wycheproof, default <repo>/../shared/vectors/wycheproof. The files are
 * never copied into the repository.
 */

export interface WycheproofTest {
  tcId: number;
  comment?: string;
  flags?: string[];
  result: 'valid' | 'invalid' | 'acceptable';
  [field: string]: unknown;
}

export interface WycheproofGroup {
  type: string;
  tests: WycheproofTest[];
  [field: string]: unknown;
}

export interface WycheproofFile {
  fileName: string;
  algorithm: string;
  schema: string | undefined;
  numberOfTests: number | undefined;
  testGroups: WycheproofGroup[];
}

export function vectorsDirectory(): string {
  return process.env['AURIGRAPH_VECTORS_DIR'] ?? path.resolve(repoRoot, '..', 'shared', 'vectors');
}

export function wycheproofDirectory(): string {
  return path.join(vectorsDirectory(), 'wycheproof');
}

export function listWycheproofFiles(): string[] {
  const folder = wycheproofDirectory();
  if (!fs.existsSync(folder)) {
    throw new Error(`no Wycheproof vectors at ${folder}; set AURIGRAPH_VECTORS_DIR to the folder that holds wycheproof/`);
  }
  return fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.json.gz'))
    .sort();
}

export function loadWycheproofFile(fileName: string): WycheproofFile {
  const text = zlib.gunzipSync(fs.readFileSync(path.join(wycheproofDirectory(), fileName))).toString('utf8');
  const parsed = JSON.parse(text) as {
    algorithm: string;
    schema?: string;
    numberOfTests?: number;
    testGroups: WycheproofGroup[];
  };
  return {
    fileName,
    algorithm: parsed.algorithm,
    schema: parsed.schema,
    numberOfTests: parsed.numberOfTests,
    testGroups: parsed.testGroups,
  };
}

export function hexField(test: WycheproofTest | WycheproofGroup, field: string): Uint8Array {
  const value = test[field];
  if (typeof value !== 'string') throw new Error(`vector field ${field} is not a hex string`);
  return new Uint8Array(Buffer.from(value, 'hex'));
}
