/**
 * `npm run bench:limits`: measures what no node can beat on this machine (raw gRPC stream rate,
 * LMDB write and fsync rates, signature verification and hashing per core), each in processes
 * of its own, prints the section and writes it into BENCHMARKS.md between the bench:limits
 * markers. About two minutes.
 *
 *   node dist/bench/limits/run.js [--json FILE]    (--json also saves every result object)
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../../src/errors.js';
import { repoRoot } from '../../src/paths.js';
import { writeSection } from '../crypto/markdown-section.js';
import { formatLimitsSection, limitsMarkers } from './section.js';
import { runLimitsSuite } from './suite.js';

const command = 'npm run bench:limits';

function jsonFileFrom(argv: readonly string[]): string | undefined {
  if (argv.length === 0) return undefined;
  if (argv.length === 2 && argv[0] === '--json') return path.resolve(argv[1]!);
  throw invalidArgument('arguments', `expected nothing or --json FILE, got ${argv.join(' ')}`);
}

const jsonFile = jsonFileFrom(process.argv.slice(2));
const report = await runLimitsSuite({ onProgress: (message) => console.error(`bench:limits: ${message}`) });
const section = formatLimitsSection(report, command);
console.log(section);
const benchmarksFile = path.join(repoRoot, 'BENCHMARKS.md');
writeSection(benchmarksFile, limitsMarkers, section);
console.error(`bench:limits: wrote ${benchmarksFile}`);
if (jsonFile !== undefined) {
  fs.writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  console.error(`bench:limits: wrote ${jsonFile}`);
}
