import { escapeHtml, formatCount, formatMillisecondsFromMicroseconds, formatRate } from './format.js';
import { renderPage } from './html-page.js';
import { asSummary, describeSchedule, LATENCY_ROWS, runCharts, runNotices, SERIES_COLORS, summaryTables } from './html-report.js';
import type { IntervalLog } from './interval-log.js';
import type { RunSummary } from './run-summary.js';
import { renderChart } from './svg-chart.js';

const RUN_B_COLORS = { p99: '#2f855a', uncorrected: '#9ae6b4' } as const;

/** B relative to A as a multiplier; undefined when A is zero or a side did not record it. */
export function ratio(a: number | null, b: number | null): number | undefined {
  if (a === null || b === null || a === 0) return undefined;
  return b / a;
}

function ratioCell(a: number | null, b: number | null, higherIsBetter: boolean): string {
  const value = ratio(a, b);
  if (value === undefined) return '<td data-ratio="">n/a</td>';
  const direction = value === 1 ? '' : (value > 1) === higherIsBetter ? ' class="better"' : ' class="worse"';
  return `<td data-ratio="${value}"${direction}>×${value.toFixed(value >= 10 ? 1 : 3)}</td>`;
}

function comparisonRow(label: string, a: number | null, b: number | null, format: (value: number) => string, higherIsBetter: boolean): string {
  const show = (value: number | null) => escapeHtml(value === null ? 'not recorded' : format(value));
  return `<tr><th scope="row">${escapeHtml(label)}</th><td>${show(a)}</td><td>${show(b)}</td>${ratioCell(a, b, higherIsBetter)}</tr>`;
}

/**
 * Two runs in one self-contained HTML file: a table of ratios (B / A), the percentile spectrum
 * and P99 over time of both overlaid, then each run's full report side by side.
 */
export function compareRuns(first: RunSummary | IntervalLog, second: RunSummary | IntervalLog): string {
  const a = asSummary(first);
  const b = asSummary(second);
  const rows = [
    comparisonRow('Throughput', a.throughputPerSec, b.throughputPerSec, formatRate, true),
    comparisonRow('Completed', a.completedCount, b.completedCount, formatCount, true),
    comparisonRow('Errors', a.errorCount, b.errorCount, formatCount, false),
    ...LATENCY_ROWS.map(([label, field]) => comparisonRow(`${label} corrected`, a.corrected[field], b.corrected[field], formatMillisecondsFromMicroseconds, false)),
    comparisonRow('P99 uncorrected', a.uncorrected?.p99Us ?? null, b.uncorrected?.p99Us ?? null, formatMillisecondsFromMicroseconds, false),
  ];
  const label = (summary: RunSummary, side: string) => `${side}: ${summary.label}`;
  const overlaidPercentiles = renderChart({
    run: 'both',
    chartId: 'percentiles',
    title: 'Latency by percentile, both runs (corrected)',
    xLabel: 'percentile',
    yLabel: 'latency (ms)',
    xAxis: 'percentile',
    series: [
      { name: label(a, 'A'), color: SERIES_COLORS.p99, points: a.percentileDistribution.corrected.map((point) => [point.percentile, point.valueUs / 1000]) },
      { name: label(b, 'B'), color: RUN_B_COLORS.p99, points: b.percentileDistribution.corrected.map((point) => [point.percentile, point.valueUs / 1000]) },
    ],
    formatY: (valueMs) => formatMillisecondsFromMicroseconds(valueMs * 1000),
    emptyMessage: 'no operation completed',
  });
  const p99Over = (summary: RunSummary) =>
    summary.intervals.map((interval) => [interval.startSec + interval.lengthSec, interval.completedCount > 0 ? interval.corrected.p99Us / 1000 : null] as const);
  const overlaidLatency = renderChart({
    run: 'both',
    chartId: 'latency-over-time',
    title: 'P99 over time, both runs (corrected)',
    xLabel: 'time since start (s)',
    yLabel: 'latency (ms)',
    xAxis: 'seconds',
    series: [
      { name: `${label(a, 'A')} P99`, color: SERIES_COLORS.p99, points: p99Over(a) },
      { name: `${label(b, 'B')} P99`, color: RUN_B_COLORS.p99, points: p99Over(b) },
    ],
    formatY: (valueMs) => formatMillisecondsFromMicroseconds(valueMs * 1000),
    emptyMessage: 'no operation completed',
  });
  const side = (summary: RunSummary, run: 'a' | 'b') =>
    `<section class="run" data-run="${run}"><h2>${escapeHtml(label(summary, run.toUpperCase()))}</h2>` +
    `<p class="subtitle">${escapeHtml(describeSchedule(summary.schedule))}</p>${runNotices(summary)}${summaryTables(summary)}` +
    `<div class="charts">${runCharts(summary, run).join('\n')}</div></section>`;
  const body = [
    `<header><h1>Load comparison: ${escapeHtml(a.label)} (A) vs ${escapeHtml(b.label)} (B)</h1>`,
    '<p class="subtitle">Ratios are B / A; green is better for B, red is worse.</p></header>',
    '<table data-table="comparison"><thead><tr><th>Metric</th><th>A</th><th>B</th><th>B / A</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody></table>`,
    `<section class="charts">${overlaidPercentiles}\n${overlaidLatency}</section>`,
    `<div class="runs">${side(a, 'a')}\n${side(b, 'b')}</div>`,
  ].join('\n');
  return renderPage(`Load comparison: ${a.label} vs ${b.label}`, body);
}
