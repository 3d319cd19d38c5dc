/**
 * Generates src/generated/aurigraph.ts from proto/ (see scripts/proto-gen/ for how).
 *
 *   node dist/scripts/gen-proto.js           write the generated files
 *   node dist/scripts/gen-proto.js --check   exit 1, naming each drifted file, when the
 *                                            committed output differs from what proto/ gives
 *
 * Options: --proto-dir <dir> and --out-dir <dir> override the repository's proto/ and
 * src/generated/ (tests point them at temporary copies).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { protoDir, repoRoot } from '../src/paths.js';
import { findDrift, generate, writeGenerated, type DriftReport } from './proto-gen/generate.js';

export { findDrift, generate, writeGenerated, type DriftReport } from './proto-gen/generate.js';

export const defaultOutputDirectory = path.join(repoRoot, 'src', 'generated');

export interface GeneratorOptions {
  check: boolean;
  protoDirectory: string;
  outputDirectory: string;
}

export function parseArguments(argumentsList: readonly string[]): GeneratorOptions {
  const options: GeneratorOptions = { check: false, protoDirectory: protoDir, outputDirectory: defaultOutputDirectory };
  for (let index = 0; index < argumentsList.length; index++) {
    const argument = argumentsList[index];
    const value = (): string => {
      const next = argumentsList[index + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`${argument}: expected a directory after it`);
      index += 1;
      return path.resolve(next);
    };
    if (argument === '--check') options.check = true;
    else if (argument === '--proto-dir') options.protoDirectory = value();
    else if (argument === '--out-dir') options.outputDirectory = value();
    else throw new Error(`unknown argument ${String(argument)}; expected --check, --proto-dir <dir>, --out-dir <dir>`);
  }
  return options;
}

export function describeDrift(reports: readonly DriftReport[], outputDirectory: string): string {
  const reasons = { missing: 'is missing', differs: 'differs from what proto/ generates', stale: 'is generated but no longer produced' };
  return reports
    .map((report) => `drifted: ${path.relative(process.cwd(), path.join(outputDirectory, report.file))} ${reasons[report.problem]}`)
    .join('\n');
}

/** Runs the generator; returns the process exit code. */
export function runGenerator(options: GeneratorOptions): number {
  const generated = generate(options.protoDirectory);
  if (options.check) {
    const drift = findDrift(generated, options.outputDirectory);
    if (drift.length === 0) return 0;
    process.stderr.write(`${describeDrift(drift, options.outputDirectory)}\nrun \`npm run gen:proto\` and commit the result\n`);
    return 1;
  }
  const changed = writeGenerated(generated, options.outputDirectory);
  const where = path.relative(process.cwd(), options.outputDirectory) || '.';
  process.stdout.write(changed.length === 0 ? `${where}: up to date\n` : changed.map((file) => `wrote ${where}/${file}\n`).join(''));
  return 0;
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  try {
    process.exitCode = runGenerator(parseArguments(process.argv.slice(2)));
  } catch (error: unknown) {
    process.stderr.write(`gen-proto: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
