import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../src/paths.js';

/** Anything that would let the core observe time, randomness or the outside world. */
const FORBIDDEN: readonly { pattern: RegExp; what: string }[] = [
  { pattern: /\bDate\b/, what: 'Date' },
  { pattern: /Math\.random/, what: 'Math.random' },
  { pattern: /\bsetTimeout\b/, what: 'setTimeout' },
  { pattern: /\bsetInterval\b/, what: 'setInterval' },
  { pattern: /\bsetImmediate\b/, what: 'setImmediate' },
  { pattern: /performance\.now/, what: 'performance.now' },
  { pattern: /process\.hrtime/, what: 'process.hrtime' },
  { pattern: /require\(\s*['"](node:)?fs['"]\s*\)/, what: "require('fs')" },
  { pattern: /['"]node:fs(\/promises)?['"]/, what: "'node:fs'" },
  { pattern: /['"]node:net['"]/, what: "'node:net'" },
  { pattern: /from\s+['"](fs|net|dgram|http|https|child_process|worker_threads|crypto)['"]/, what: 'a Node I/O module' },
  { pattern: /['"]node:[a-z_/]+['"]/, what: 'any node: module' },
  { pattern: /\bcrypto\.(randomBytes|getRandomValues|randomUUID)\b/, what: 'crypto randomness' },
];

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

test('src/raft uses no clock, no ambient randomness, no timers and no I/O', () => {
  const files = sourceFiles(path.join(repoRoot, 'src', 'raft'));
  assert.ok(files.length >= 8, `expected the raft sources, found ${files.length} files`);
  const findings: string[] = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, lineIndex) => {
      for (const { pattern, what } of FORBIDDEN) {
        if (pattern.test(line)) findings.push(`${path.relative(repoRoot, file)}:${lineIndex + 1}: ${what}: ${line.trim()}`);
      }
    });
  }
  assert.deepEqual(findings, []);
});

test('the purity patterns do catch what they are meant to', () => {
  const samples = ['const now = Date.now();', 'Math.random()', "import fs from 'node:fs';", "const net = require('fs');", 'setTimeout(tick, 10)', 'performance.now()'];
  for (const sample of samples) assert.ok(FORBIDDEN.some(({ pattern }) => pattern.test(sample)), sample);
  assert.ok(!FORBIDDEN.some(({ pattern }) => pattern.test('this.log.isUpToDate(index, term)')));
});
