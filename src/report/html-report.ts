import type { ScheduleDescription } from '../loadgen/run-result.js';
import {
  escapeHtml,
  formatCount,
  formatMebibytes,
  formatMillisecondsFromMicroseconds,
  formatRate,
  formatSeconds,
} from './format.js';
import { renderPage } from './html-page.js';
import type { IntervalLog } from './interval-log.js';
import type { LatencyStats } from './latency-stats.js';
import { summarizeIntervalLog, type IntervalSummary, type RunSummary } from './run-summary.js';
import { renderChart, type ChartSeries } from './svg-chart.js';

export const SERIES_COLORS = {
  p50: '#2b6cb0',
  p90: '#319795',
  p99: '#dd6b20',
  p999: '#c53030',
  max: '#553c9a',
  uncorrected: '#718096',
  errors: '#c53030',
  rss: '#2c7a7b',
  eventLoop: '#6b46c1',
} as const;

/** Per-thread event-loop series, in the order the threads first appear. */
const THREAD_COLORS = ['#6b46c1', '#d53f8c', '#2f855a', '#b7791f', '#2b6cb0', '#718096'] as const;

/** The event-loop chart's empty message when the samples hold no delay at all. */
export const EVENT_LOOP_NOT_OBSERVABLE =
  'not observable: the node runs elsewhere; only a node the run starts itself reports its event-loop delay';

/**
 * One series per thread when the node reported per thread (the acceptor, Raft and main threads
 * each measure their own loop), else one series; none when no sample has a delay.
 */
export function eventLoopSeries(samples: RunSummary['resourceSamples']): ChartSeries[] {
  if (!samples.some((sample) => sample.eventLoopDelayP99Ms !== null)) return [];
  const threads = [...new Set(samples.flatMap((sample) => Object.keys(sample.eventLoopDelayP99MsByThread ?? {})))];
  if (threads.length === 0) {
    return [{ name: 'event-loop delay P99', color: SERIES_COLORS.eventLoop, points: samples.map((sample) => [sample.t, sample.eventLoopDelayP99Ms]) }];
  }
  return threads.map((thread, index) => ({
    name: `${thread} thread P99`,
    color: THREAD_COLORS[index % THREAD_COLORS.length]!,
    points: samples.map((sample) => [sample.t, sample.eventLoopDelayP99MsByThread?.[thread] ?? null]),
  }));
}

const ms = (valueUs: number) => valueUs / 1000;
const formatMsValue = (valueMs: number) => formatMillisecondsFromMicroseconds(valueMs * 1000);

/** A run summary, or a parsed interval log to summarize first. */
export function asSummary(input: RunSummary | IntervalLog): RunSummary {
  return 'kind' in input && input.kind === 'hdr-interval-log' ? summarizeIntervalLog(input) : (input as RunSummary);
}

export function describeSchedule(schedule: ScheduleDescription | null): string {
  if (schedule === null) return 'schedule not recorded (interval log only)';
  if (schedule.kind === 'open-loop') {
    return `open loop at ${formatRate(schedule.ratePerSecond)}, at most ${schedule.maxInFlight.toLocaleString('en-US')} in flight`;
  }
  return `closed loop, ${schedule.concurrency.toLocaleString('en-US')} in flight`;
}

/** The five charts of one run; `run` tags them in a comparison. */
export function runCharts(summary: RunSummary, run?: string): string[] {
  const tagged = run === undefined ? {} : { run };
  const at = (interval: { startSec: number; lengthSec: number }) => interval.startSec + interval.lengthSec;
  // A final partial interval only milliseconds long turns a few completions into a huge rate;
  // rates are plotted for intervals of at least a quarter of the nominal length.
  const rated = summary.intervals.filter((interval) => interval.lengthSec >= summary.intervalSec / 4);
  const throughput: ChartSeries[] = [
    { name: 'completed/s', color: SERIES_COLORS.p50, points: rated.map((interval) => [at(interval), interval.throughputPerSec]) },
  ];
  if (summary.intervals.some((interval) => interval.errorCount !== null)) {
    throughput.push({
      name: 'errors/s',
      color: SERIES_COLORS.errors,
      points: rated.map((interval) => [at(interval), (interval.errorCount ?? 0) / interval.lengthSec]),
    });
  }
  // An interval in which nothing completed has no latency to plot: the lines break there, which
  // is how a stall looks, rather than drawing a made-up value.
  const latencySeries = (pick: (interval: IntervalSummary) => number | undefined) =>
    summary.intervals.map((interval) => {
      const valueUs = interval.completedCount > 0 ? pick(interval) : undefined;
      return [at(interval), valueUs === undefined ? null : ms(valueUs)] as const;
    });
  const latencyOverTime: ChartSeries[] = [
    { name: 'P50', color: SERIES_COLORS.p50, points: latencySeries((interval) => interval.corrected.p50Us) },
    { name: 'P99', color: SERIES_COLORS.p99, points: latencySeries((interval) => interval.corrected.p99Us) },
    { name: 'P99.9', color: SERIES_COLORS.p999, points: latencySeries((interval) => interval.corrected.p999Us) },
    { name: 'max', color: SERIES_COLORS.max, points: latencySeries((interval) => interval.corrected.maxUs) },
  ];
  if (summary.uncorrected !== null) {
    latencyOverTime.push({
      name: 'P99 uncorrected',
      color: SERIES_COLORS.uncorrected,
      dashed: true,
      points: latencySeries((interval) => interval.uncorrected?.p99Us),
    });
  }
  const percentiles: ChartSeries[] = [
    { name: 'corrected', color: SERIES_COLORS.p99, points: summary.percentileDistribution.corrected.map((point) => [point.percentile, ms(point.valueUs)]) },
  ];
  if (summary.percentileDistribution.uncorrected !== null) {
    percentiles.push({
      name: 'uncorrected',
      color: SERIES_COLORS.uncorrected,
      dashed: true,
      points: summary.percentileDistribution.uncorrected.map((point) => [point.percentile, ms(point.valueUs)]),
    });
  }
  const noSamples = 'no resource samples were recorded for this run';
  return [
    renderChart({ ...tagged, chartId: 'throughput', title: 'Throughput over time', xLabel: 'time since start (s)', yLabel: 'operations per second', xAxis: 'seconds', series: throughput, formatY: formatRate, emptyMessage: 'no intervals' }),
    renderChart({ ...tagged, chartId: 'latency-over-time', title: 'Latency over time (corrected)', xLabel: 'time since start (s)', yLabel: 'latency (ms)', xAxis: 'seconds', series: latencyOverTime, formatY: formatMsValue, emptyMessage: 'no operation completed' }),
    renderChart({ ...tagged, chartId: 'percentiles', title: 'Latency by percentile', xLabel: 'percentile', yLabel: 'latency (ms)', xAxis: 'percentile', series: percentiles, formatY: formatMsValue, emptyMessage: 'no operation completed' }),
    renderChart({ ...tagged, chartId: 'rss', title: 'Node resident memory (RSS)', xLabel: 'time since start (s)', yLabel: 'RSS (MiB)', xAxis: 'seconds', series: [{ name: 'RSS', color: SERIES_COLORS.rss, points: summary.resourceSamples.map((sample) => [sample.t, sample.rssBytes / 1048576]) }], formatY: (value) => formatMebibytes(value * 1048576), emptyMessage: noSamples }),
    renderChart({
      ...tagged,
      chartId: 'event-loop',
      title: 'Node event-loop delay (P99 per period; how late a 10 ms timer fired)',
      xLabel: 'time since start (s)',
      yLabel: 'delay (ms)',
      xAxis: 'seconds',
      series: eventLoopSeries(summary.resourceSamples),
      formatY: formatMsValue,
      emptyMessage: summary.resourceSamples.length === 0 ? noSamples : EVENT_LOOP_NOT_OBSERVABLE,
    }),
  ];
}

export const LATENCY_ROWS: ReadonlyArray<readonly [string, keyof LatencyStats]> = [
  ['P50', 'p50Us'],
  ['P90', 'p90Us'],
  ['P99', 'p99Us'],
  ['P99.9', 'p999Us'],
  ['P99.99', 'p9999Us'],
  ['Max', 'maxUs'],
  ['Mean', 'meanUs'],
  ['Min', 'minUs'],
];

function row(label: string, ...cells: string[]): string {
  return `<tr><th scope="row">${escapeHtml(label)}</th>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`;
}

/** Notices that change how the numbers should be read; empty when there are none. */
export function runNotices(summary: RunSummary): string {
  const notices: string[] = [];
  const generator = summary.generator;
  if (generator?.cannotKeepUp) {
    const why =
      generator.reason === 'generator-busy'
        ? 'The generator itself could not send on time: it is the bottleneck, so this run understates what the system can do. Use more generator workers or a lower rate.'
        : 'Sends waited for a free slot under the in-flight limit: the system answered too slowly for the offered rate. Corrected latency counts that wait.';
    notices.push(
      `<p class="notice" data-notice="generator">The generator could not keep up with its schedule: send lag P99 ${escapeHtml(formatMillisecondsFromMicroseconds(generator.sendLagP99Us))} exceeds ${generator.lagThresholdMs} ms. ${escapeHtml(why)}</p>`,
    );
  }
  if (summary.errorCount !== null && summary.errorCount > 0) {
    const messages = summary.errorMessages.length > 0 ? ` First errors: ${summary.errorMessages.join('; ')}` : '';
    notices.push(`<p class="notice bad" data-notice="errors">${escapeHtml(`${formatCount(summary.errorCount)} operations failed (${formatCount(summary.timeoutCount)} timed out); their latencies are not in the histograms.${messages}`)}</p>`);
  }
  if (summary.schedule?.kind === 'closed-loop') {
    notices.push('<p class="notice" data-notice="closed-loop">Closed loop: the generator waits for each answer, so a stall also stops the sending and no correction for coordinated omission is possible. Use an open-loop run to measure latency under load.</p>');
  }
  return notices.join('\n');
}

/** The run facts and the latency table. */
export function summaryTables(summary: RunSummary): string {
  const facts = [
    row('Schedule', describeSchedule(summary.schedule)),
    row('Started', summary.startEpochMs === null ? 'not recorded' : new Date(summary.startEpochMs).toISOString()),
    row('Duration', formatSeconds(summary.durationSec)),
    row('Generator workers', formatCount(summary.workerCount)),
    row('Sent', formatCount(summary.sentCount)),
    row('Completed', formatCount(summary.completedCount)),
    row('Errors', formatCount(summary.errorCount)),
    row('Timeouts', formatCount(summary.timeoutCount)),
    row('Throughput', formatRate(summary.throughputPerSec)),
  ];
  if (summary.generator !== null) {
    facts.push(row('Send lag P99 / max', `${formatMillisecondsFromMicroseconds(summary.generator.sendLagP99Us)} / ${formatMillisecondsFromMicroseconds(summary.generator.sendLagMaxUs)}`));
    facts.push(row('Generator kept schedule', summary.generator.cannotKeepUp ? `no (${summary.generator.reason})` : 'yes'));
  }
  const uncorrected = summary.uncorrected;
  const latencyRows = LATENCY_ROWS.map(([label, field]) =>
    row(label, formatMillisecondsFromMicroseconds(summary.corrected[field]), uncorrected === null ? 'not recorded' : formatMillisecondsFromMicroseconds(uncorrected[field])),
  );
  return (
    '<div class="tables">' +
    `<table data-table="summary"><caption>Run</caption><tbody>${facts.join('')}</tbody></table>` +
    '<table data-table="latency"><caption>Latency</caption><thead><tr><th>Percentile</th><th>Corrected</th><th>Uncorrected</th></tr></thead>' +
    `<tbody>${latencyRows.join('')}</tbody></table></div>`
  );
}

/** One self-contained HTML file for one run. */
export function renderReport(input: RunSummary | IntervalLog): string {
  const summary = asSummary(input);
  const body = [
    `<header><h1>Load report: ${escapeHtml(summary.label)}</h1>`,
    `<p class="subtitle">${escapeHtml(describeSchedule(summary.schedule))}; ${escapeHtml(formatCount(summary.completedCount))} operations in ${escapeHtml(formatSeconds(summary.durationSec))}; corrected P99 ${escapeHtml(formatMillisecondsFromMicroseconds(summary.corrected.p99Us))}</p></header>`,
    runNotices(summary),
    '<h2>Summary</h2>',
    summaryTables(summary),
    '<h2>Charts</h2>',
    `<section class="charts">${runCharts(summary).join('\n')}</section>`,
  ].join('\n');
  return renderPage(`Load report: ${summary.label}`, body);
}
