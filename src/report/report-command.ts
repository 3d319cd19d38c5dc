import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CliUsageError } from '../cli/usage.js';
import { AurigraphError } from '../errors.js';
import { compareRuns } from './compare.js';
import { renderReport } from './html-report.js';
import { loadRun } from './saved-run.js';

export const REPORT_COMMAND_SUMMARY = 'render an HTML latency report from a saved run, or compare two runs';

const help = `Usage: aurigraph report FILE [--compare OTHER] [--out report.html]

Renders a self-contained HTML report (no network needed to open it) from a saved load run.
A run is saved as NAME.hlog, an HdrHistogram interval log, and NAME.json, its summary; FILE
may be either one. With the log, latencies are recomputed from it and the summary adds the
schedule, errors, generator health and node RSS / event-loop samples. A log alone (from any
HdrHistogram tool, values in microseconds) or a summary alone also works.

Options:
  --compare OTHER  render FILE (A) and OTHER (B) side by side, with B / A ratios
  --out PATH       where to write the HTML (default: FILE's name with .html, or
                   A-vs-B.html beside FILE when comparing)
  --help           show this help

Exit code 0 when the report was written, 1 when a file could not be read, 2 for usage errors.
`;

const options = {
  compare: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean' },
} as const;

function stem(filePath: string): string {
  return path.basename(filePath, path.extname(filePath));
}

function defaultOutput(file: string, other: string | undefined): string {
  const folder = path.dirname(path.resolve(file));
  return other === undefined ? path.join(folder, `${stem(file)}.html`) : path.join(folder, `${stem(file)}-vs-${stem(other)}.html`);
}

/** `aurigraph report`: returns the process exit code; usage errors throw CliUsageError. */
export async function runReportCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(help);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined) throw new CliUsageError('FILE is missing: give a saved run (.hlog or .json)');
  if (extra.length > 0) throw new CliUsageError(`expected one FILE, got also: ${extra.join(' ')} (use --compare OTHER for a second run)`);
  const output = path.resolve(values.out ?? defaultOutput(file, values.compare));
  try {
    const first = await loadRun(file);
    const html = values.compare === undefined ? renderReport(first) : compareRuns(first, await loadRun(values.compare));
    await writeFile(output, html);
  } catch (error) {
    if (error instanceof AurigraphError) {
      process.stderr.write(`aurigraph report: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  process.stdout.write(`wrote ${output}\n`);
  return 0;
}
