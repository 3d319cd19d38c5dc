import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { runClosedLoop } from '../../src/loadgen/closed-loop.js';
import { runOpenLoop } from '../../src/loadgen/open-loop.js';
import { formatMillisecondsFromMicroseconds } from '../../src/report/format.js';
import { saveRun } from '../../src/report/saved-run.js';
import { withHeadlessPage } from './headless-chromium.js';

const entry = fileURLToPath(new URL('../fixtures/report/report-command-entry.js', import.meta.url));

/** Runs the command as a process and returns its exit code and output. */
async function report(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

const samples = [
  { t: 0.1, rssBytes: 80_000_000, eventLoopDelayP99Ms: 3 },
  { t: 0.2, rssBytes: 82_000_000, eventLoopDelayP99Ms: 4 },
  { t: 0.3, rssBytes: 81_000_000, eventLoopDelayP99Ms: 2 },
];

async function savedRuns() {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'aurigraph-report-command-'));
  const fast = await runOpenLoop(() => sleep(1), { ratePerSecond: 500, count: 150, intervalMs: 100 });
  const slow = await runClosedLoop(() => sleep(3), { concurrency: 2, count: 60, intervalMs: 100 });
  const a = await saveRun(path.join(folder, 'fast'), fast, { label: 'fast open loop', resourceSamples: samples });
  const b = await saveRun(path.join(folder, 'slow'), slow, { label: 'slow closed loop', resourceSamples: samples });
  return { folder, a, b };
}

function chartPointCounts(html: string, chart: string): number[] {
  const figure = html.slice(html.indexOf(`data-chart="${chart}"`), html.indexOf('</figure>', html.indexOf(`data-chart="${chart}"`)));
  return [...figure.matchAll(/<path class="series"[^>]* d="([^"]*)"/g)].map((match) => (match[1]?.match(/[ML]/g) ?? []).length);
}

test('--help describes the command; a missing FILE or an unknown flag is a usage error (exit 2)', async () => {
  const help = await report(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: aurigraph report FILE \[--compare OTHER\] \[--out report\.html\]/);
  const missing = await report([]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /FILE is missing/);
  const unknownFlag = await report(['a.hlog', '--colour']);
  assert.equal(unknownFlag.code, 2);
  assert.match(unknownFlag.stderr, /--colour/);
  const twoFiles = await report(['a.hlog', 'b.hlog']);
  assert.equal(twoFiles.code, 2);
  assert.match(twoFiles.stderr, /use --compare OTHER/);
});

test('a file that is not there or not a run ends with exit code 1 and says why', async () => {
  const missing = await report(['/nonexistent/run.hlog']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /FILE: \/nonexistent\/run\.hlog does not exist/);
  const { folder, a, b } = await savedRuns();
  // Pair one run's log with another run's summary: the command refuses to mix them.
  await copyFile(b.summaryPath, path.join(folder, 'fast.json'));
  const mixed = await report([a.intervalLogPath]);
  assert.equal(mixed.code, 1);
  assert.match(mixed.stderr, /not from the same run/);
  await rm(folder, { recursive: true, force: true });
});

test('re-renders a report from the saved interval log alone, and from log plus summary', async () => {
  const { folder, a } = await savedRuns();
  const withSummary = await report([a.intervalLogPath]);
  assert.equal(withSummary.code, 0, withSummary.stderr);
  const defaultOut = path.join(folder, 'fast.html');
  assert.equal(withSummary.stdout, `wrote ${defaultOut}\n`);
  const full = await readFile(defaultOut, 'utf8');
  assert.match(full, /Load report: fast open loop/);
  assert.ok(full.includes(formatMillisecondsFromMicroseconds(a.summary.corrected.p99Us)));
  for (const chart of ['throughput', 'latency-over-time', 'percentiles', 'rss', 'event-loop']) {
    const counts = chartPointCounts(full, chart);
    assert.ok(counts.length > 0 && counts.every((count) => count > 0), `${chart}: ${counts.join(',')}`);
  }

  await rm(a.summaryPath);
  const logOnlyOut = path.join(folder, 'log-only.html');
  const logOnly = await report([a.intervalLogPath, '--out', logOnlyOut]);
  assert.equal(logOnly.code, 0, logOnly.stderr);
  const html = await readFile(logOnlyOut, 'utf8');
  assert.ok(html.includes(formatMillisecondsFromMicroseconds(a.summary.corrected.p99Us)), 'latencies come from the log');
  assert.match(html, /schedule not recorded \(interval log only\)/);
  assert.ok(chartPointCounts(html, 'percentiles').every((count) => count > 0));
  assert.deepEqual(chartPointCounts(html, 'rss'), [0], 'no resource samples without the summary');
  await rm(folder, { recursive: true, force: true });
});

test('compare mode shows both runs side by side with ratios, in a real browser', async () => {
  const { folder, a, b } = await savedRuns();
  const out = path.join(folder, 'comparison.html');
  const result = await report([a.summaryPath, '--compare', b.intervalLogPath, '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  await withHeadlessPage(pathToFileURL(out).href, async (page) => {
    const layout = JSON.parse(
      await page.evaluate<string>(`JSON.stringify({
        a: document.querySelectorAll('section[data-run="a"] figure[data-chart]').length,
        b: document.querySelectorAll('section[data-run="b"] figure[data-chart]').length,
        overlaid: Array.from(document.querySelectorAll('figure[data-run="both"]')).map((figure) => [figure.getAttribute('data-chart'), figure.querySelectorAll('path[data-series]').length]),
        drawn: Array.from(document.querySelectorAll('section[data-run] path[data-series]')).filter((path) => /[ML]/.test(path.getAttribute('d'))).length,
        ratios: Object.fromEntries(Array.from(document.querySelectorAll('table[data-table="comparison"] tbody tr')).map((row) => [row.cells[0].textContent, row.cells[3].getAttribute('data-ratio')])),
        headings: Array.from(document.querySelectorAll('section[data-run] h2')).map((heading) => heading.textContent),
      })`),
    ) as { a: number; b: number; overlaid: Array<[string, number]>; drawn: number; ratios: Record<string, string>; headings: string[] };
    assert.equal(layout.a, 5);
    assert.equal(layout.b, 5);
    assert.deepEqual(layout.overlaid, [['percentiles', 2], ['latency-over-time', 2]]);
    assert.ok(layout.drawn >= 10);
    assert.deepEqual(layout.headings, ['A: fast open loop', 'B: slow closed loop']);
    const throughputRatio = Number(layout.ratios['Throughput']);
    assert.ok(Math.abs(throughputRatio - b.summary.throughputPerSec / a.summary.throughputPerSec) < 1e-9, `throughput ratio ${throughputRatio}`);
    assert.equal(Number(layout.ratios['P50 corrected']), b.summary.corrected.p50Us / a.summary.corrected.p50Us);
    assert.deepEqual(page.consoleErrors, []);
  });
  await rm(folder, { recursive: true, force: true });
});
