/**
 * The report as an operator sees it: a real run's report opened in headless Chromium must load
 * without console errors, draw every chart with data, show the summary numbers, answer the
 * pointer, and produce a screenshot that is a real picture.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runOpenLoop } from '../../src/loadgen/open-loop.js';
import { startProcessResourceSampler } from '../../src/loadgen/resource-sampler.js';
import { startLocalNode } from '../../src/loadgen/transactions/local-node.js';
import { startMemorySampler } from '../../src/loadgen/transactions/memory-sampler.js';
import { resourceSamplesOf, startNodeEventLoopRecorder } from '../../src/loadgen/transactions/node-event-loop.js';
import { configDir } from '../../src/paths.js';
import { formatMillisecondsFromMicroseconds } from '../../src/report/format.js';
import { EVENT_LOOP_NOT_OBSERVABLE, renderReport } from '../../src/report/html-report.js';
import { summarizeRun } from '../../src/report/run-summary.js';
import { startEchoServer } from '../fixtures/report/http2-echo-server.js';
import { createOperation } from '../fixtures/report/http2-echo-operation.js';
import { requireChromium, withHeadlessPage } from './headless-chromium.js';
import { inspectPng } from './png-inspection.js';

const CHARTS = ['throughput', 'latency-over-time', 'percentiles', 'rss', 'event-loop'];

/** What the page says about each chart, counted from the DOM (path commands, not our attribute). */
const CHART_PROBE = `JSON.stringify(Array.from(document.querySelectorAll('figure[data-chart]')).map((figure) => ({
  chart: figure.getAttribute('data-chart'),
  series: Array.from(figure.querySelectorAll('path[data-series]')).map((path) => ({
    name: path.getAttribute('data-series'),
    drawnPoints: (path.getAttribute('d').match(/[ML]/g) || []).length,
    declaredPoints: Number(path.getAttribute('data-point-count')),
    length: path.getTotalLength(),
  })),
  ticks: Array.from(figure.querySelectorAll('text.tick')).map((text) => text.textContent),
  empty: figure.querySelector('text.empty') !== null,
  emptyText: figure.querySelector('text.empty')?.textContent ?? null,
  legend: Array.from(figure.querySelectorAll('.legend li')).map((item) => item.textContent),
})))`;

interface ChartProbe {
  chart: string;
  series: Array<{ name: string; drawnPoints: number; declaredPoints: number; length: number }>;
  ticks: string[];
  empty: boolean;
  emptyText: string | null;
  legend: string[];
}

test('a real run’s report opens in headless Chromium with every chart drawn and no console errors', async () => {
  requireChromium();
  const server = await startEchoServer();
  const handle = await createOperation({ url: server.url });
  const startNs = process.hrtime.bigint();
  const sampler = startProcessResourceSampler({ startNs, intervalMs: 100 });
  let run;
  try {
    setTimeout(() => server.stallFor(300), 500);
    run = await runOpenLoop(handle.run, { ratePerSecond: 200, durationMs: 1500, maxInFlight: 8, intervalMs: 250, startNs });
  } finally {
    await handle.close?.();
    await server.close();
  }
  const summary = summarizeRun(run, { label: 'browser check <run & "quotes">', resourceSamples: sampler.stop() });
  const folder = await mkdtemp(path.join(os.tmpdir(), 'aurigraph-report-'));
  const htmlPath = path.join(folder, 'report.html');
  await writeFile(htmlPath, renderReport(summary));

  await withHeadlessPage(pathToFileURL(htmlPath).href, async (page) => {
    const charts = JSON.parse(await page.evaluate<string>(CHART_PROBE)) as ChartProbe[];
    assert.deepEqual(charts.map((chart) => chart.chart), CHARTS);
    for (const chart of charts) {
      assert.equal(chart.empty, false, `${chart.chart} says it has no data`);
      assert.ok(chart.series.length > 0, `${chart.chart} has no series`);
      for (const series of chart.series) {
        assert.ok(series.drawnPoints > 0, `${chart.chart}/${series.name} draws no points`);
        assert.equal(series.drawnPoints, series.declaredPoints, `${chart.chart}/${series.name}`);
      }
      assert.ok(chart.series.some((series) => series.length > 0), `${chart.chart}: no line has any length`);
    }
    const percentiles = charts.find((chart) => chart.chart === 'percentiles');
    assert.ok(percentiles?.ticks.includes('90%') && percentiles.ticks.includes('99%'), 'the percentile axis is labelled like HdrHistogram’s');

    const text = await page.evaluate<string>('document.body.innerText');
    assert.match(text, /browser check <run & "quotes">/, 'the label is shown as text, escaped, not as markup');
    const latencyTable = await page.evaluate<string>(`document.querySelector('table[data-table="latency"]').innerText`);
    assert.ok(latencyTable.includes(formatMillisecondsFromMicroseconds(summary.corrected.p99Us)), 'corrected P99 is in the table');
    assert.ok(latencyTable.includes(formatMillisecondsFromMicroseconds(summary.uncorrected?.p99Us ?? -1)), 'uncorrected P99 is in the table');
    const runTable = await page.evaluate<string>(`document.querySelector('table[data-table="summary"]').innerText`);
    assert.match(runTable, /Completed\s+300/);

    const readout = await page.evaluate<string>(`(() => {
      const figure = document.querySelector('figure[data-chart="latency-over-time"]');
      const box = figure.querySelector('svg').getBoundingClientRect();
      figure.querySelector('svg').dispatchEvent(new MouseEvent('mousemove', { clientX: box.left + box.width * 0.6, clientY: box.top + box.height / 2, bubbles: true }));
      return figure.querySelector('output.readout').textContent;
    })()`);
    assert.match(readout, /P99: [\d.,]+ ms/, 'pointing at a chart reads its values');

    const png = await page.screenshotPng();
    const screenshotPath = path.join(folder, 'report.png');
    await writeFile(screenshotPath, png);
    const facts = inspectPng(png);
    assert.ok(facts.width >= 1000 && facts.height >= 1000, `screenshot is ${facts.width}x${facts.height}`);
    assert.ok(png.length > 30_000, `screenshot ${screenshotPath} is only ${png.length} bytes`);
    assert.ok(facts.distinctByteValues > 50, `screenshot ${screenshotPath} looks blank`);
    assert.deepEqual(page.consoleErrors, []);
  });
  // Kept when an assertion fails, so the screenshot named in the message can be looked at.
  await rm(folder, { recursive: true, force: true });
});

test('the browser check itself catches a page that throws', async () => {
  requireChromium();
  const folder = await mkdtemp(path.join(os.tmpdir(), 'aurigraph-report-'));
  const htmlPath = path.join(folder, 'broken.html');
  await writeFile(htmlPath, '<!doctype html><html><body><script>console.error("drawn badly"); undefinedFunction();</script></body></html>');
  await withHeadlessPage(pathToFileURL(htmlPath).href, async (page) => {
    assert.equal(page.consoleErrors.length, 2, page.consoleErrors.join('\n'));
    assert.match(page.consoleErrors[0] ?? '', /drawn badly/);
    assert.match(page.consoleErrors[1] ?? '', /undefinedFunction/);
  });
  await rm(folder, { recursive: true, force: true });
});

test('the event-loop chart plots each thread of a node the run started, and says so when the node runs elsewhere', { timeout: 120_000 }, async () => {
  requireChromium();
  const folder = await mkdtemp(path.join(os.tmpdir(), 'aurigraph-report-'));
  const node = await startLocalNode({
    profile: 'dev',
    dataDir: path.join(folder, 'node'),
    genesisFile: path.join(configDir, 'genesis', 'dev.yaml'),
    settings: { 'log.runtimeReportIntervalMs': '200' },
  });
  const server = await startEchoServer();
  const handle = await createOperation({ url: server.url });
  const startNs = process.hrtime.bigint();
  const memory = startMemorySampler(node.pid, { startNs, intervalMs: 200 });
  const eventLoop = startNodeEventLoopRecorder(node, { startNs });
  let run;
  try {
    run = await runOpenLoop(handle.run, { ratePerSecond: 100, durationMs: 2000, maxInFlight: 8, intervalMs: 500, startNs });
  } finally {
    await handle.close?.();
    await server.close();
  }
  const memorySamples = memory.stop();
  const eventLoopSamples = await eventLoop.stop();
  assert.equal(await node.stop(), 0);
  assert.ok(eventLoopSamples.length >= 5, `the node reported every 200 ms for 2 s: ${eventLoopSamples.length} reports`);

  const pages: Array<[string, boolean]> = [
    ['started', true],
    ['attached', false],
  ];
  for (const [name, observable] of pages) {
    const summary = summarizeRun(run, { label: `event loop, node ${name}`, resourceSamples: resourceSamplesOf(memorySamples, observable ? eventLoopSamples : null) });
    const htmlPath = path.join(folder, `${name}.html`);
    await writeFile(htmlPath, renderReport(summary));
    await withHeadlessPage(pathToFileURL(htmlPath).href, async (page) => {
      const charts = JSON.parse(await page.evaluate<string>(CHART_PROBE)) as ChartProbe[];
      const rss = charts.find((chart) => chart.chart === 'rss')!;
      assert.equal(rss.empty, false, `${name}: the RSS comes from /proc either way`);
      const loop = charts.find((chart) => chart.chart === 'event-loop')!;
      if (observable) {
        assert.equal(loop.empty, false, 'a node started here is plotted');
        assert.deepEqual(loop.legend, ['main thread P99', 'acceptor thread P99', 'raft thread P99'], 'one series per thread that measures its loop');
        for (const series of loop.series) assert.ok(series.drawnPoints >= 3, `${series.name} draws ${series.drawnPoints} points`);
      } else {
        assert.equal(loop.empty, true, 'no line is drawn for a loop nobody measured');
        assert.deepEqual(loop.series, []);
        assert.equal(loop.emptyText, EVENT_LOOP_NOT_OBSERVABLE);
      }
      assert.deepEqual(page.consoleErrors, []);
    });
  }
  await rm(folder, { recursive: true, force: true });
});
