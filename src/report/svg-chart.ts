import { escapeHtml, formatAxisNumber } from './format.js';

/** Stable names tests and operators can select charts by (`figure[data-chart=...]`). */
export type ChartId = 'throughput' | 'latency-over-time' | 'percentiles' | 'rss' | 'event-loop';

export interface ChartSeries {
  readonly name: string;
  readonly color: string;
  readonly dashed?: boolean;
  /**
   * [x, y] in data units: seconds, or a percentile 0..100 on a percentile axis. A null y is a
   * gap (an interval with nothing to show): the line breaks there instead of bridging it.
   */
  readonly points: readonly (readonly [number, number | null])[];
}

export interface ChartSpec {
  readonly chartId: ChartId;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** 'percentile' spaces x like HdrHistogram's plots: 90%, 99%, 99.9% ... equally apart. */
  readonly xAxis: 'seconds' | 'percentile';
  readonly series: readonly ChartSeries[];
  readonly formatY: (value: number) => string;
  readonly emptyMessage: string;
  /** Which run the chart belongs to in a comparison ('a', 'b' or 'both'). */
  readonly run?: string;
}

const WIDTH = 720;
const HEIGHT = 320;
const LEFT = 72;
const RIGHT = 20;
const TOP = 16;
const BOTTOM = 52;
const PLOT_WIDTH = WIDTH - LEFT - RIGHT;
const PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;
/** Beyond this a series is reduced to the lowest and highest point per bucket (keeps spikes). */
const MAX_PLOTTED_POINTS = 1000;
const MAX_MARKED_POINTS = 60;
/** How far past the last finite percentile the 100% (maximum) point is drawn, in decades. */
const MAXIMUM_TAIL_DECADES = 0.3;

function niceStep(range: number, targetTicks: number): number {
  const raw = range / targetTicks;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Round-valued ticks inside [low, high]; with `coverHigh`, the last tick is at or above high. */
function linearTicks(low: number, high: number, targetTicks: number, coverHigh = false): number[] {
  const step = niceStep(high - low, targetTicks);
  const last = coverHigh ? Math.ceil(high / step - 1e-9) * step : high;
  const ticks: number[] = [];
  for (let position = Math.ceil(low / step); position * step <= last + step * 1e-9; position += 1) ticks.push(+(position * step).toPrecision(12));
  return ticks;
}

function percentileDecades(percentile: number): number {
  return -Math.log10(1 - percentile / 100);
}

function percentileLabel(decades: number): string {
  if (decades === 0) return '0%';
  return `${(100 - Math.pow(10, 2 - decades)).toFixed(Math.max(0, decades - 2))}%`;
}

type Point = readonly [number, number];

/** Keeps the lowest and highest point of each bucket, in x order, so peaks and dips survive. */
function downsample(points: readonly Point[], budget: number): Point[] {
  if (points.length <= budget) return [...points];
  const bucketSize = Math.ceil(points.length / Math.max(1, Math.floor(budget / 2)));
  const kept: Point[] = [];
  for (let start = 0; start < points.length; start += bucketSize) {
    const bucket = points.slice(start, start + bucketSize);
    let lowest = bucket[0];
    let highest = bucket[0];
    for (const point of bucket) {
      if (lowest === undefined || point[1] < lowest[1]) lowest = point;
      if (highest === undefined || point[1] > highest[1]) highest = point;
    }
    if (lowest === undefined || highest === undefined) continue;
    if (lowest === highest) kept.push(lowest);
    else kept.push(...(lowest[0] <= highest[0] ? [lowest, highest] : [highest, lowest]));
  }
  return kept;
}

/** Splits a series at its gaps (null y), drops unplottable points, and thins long runs. */
function plottableSegments(points: readonly (readonly [number, number | null])[]): Point[][] {
  const segments: Point[][] = [[]];
  for (const [x, y] of points) {
    if (y === null) {
      if ((segments[segments.length - 1]?.length ?? 0) > 0) segments.push([]);
    } else if (Number.isFinite(x) && Number.isFinite(y)) {
      segments[segments.length - 1]?.push([x, y]);
    }
  }
  const nonEmpty = segments.filter((segment) => segment.length > 0);
  const total = nonEmpty.reduce((sum, segment) => sum + segment.length, 0);
  return nonEmpty.map((segment) => downsample(segment, Math.max(2, Math.floor((MAX_PLOTTED_POINTS * segment.length) / total))));
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Renders one chart as a <figure> holding inline SVG: no script is needed to see it. */
export function renderChart(spec: ChartSpec): string {
  const isPercentile = spec.xAxis === 'percentile';
  const series = spec.series.map((entry) => {
    const segments = plottableSegments(entry.points);
    return { ...entry, segments, points: segments.flat() };
  });
  const allPoints = series.flatMap((entry) => entry.points);
  const finiteDecades = allPoints.filter(([x]) => isPercentile && x < 100).map(([x]) => percentileDecades(x));
  const maximumDecades = Math.max(1, ...finiteDecades) + MAXIMUM_TAIL_DECADES;
  const toXData = (x: number) => (isPercentile ? (x >= 100 ? maximumDecades : percentileDecades(x)) : x);
  const xValues = allPoints.map(([x]) => toXData(x));
  const xLow = isPercentile ? 0 : Math.min(0, ...xValues);
  let xHigh = isPercentile ? Math.ceil(maximumDecades) : Math.max(...xValues, xLow);
  if (xHigh <= xLow) xHigh = xLow + 1;
  const yMax = Math.max(0, ...allPoints.map(([, y]) => y));
  const yTicks = linearTicks(0, yMax > 0 ? yMax : 1, 5, true);
  const yHigh = yTicks[yTicks.length - 1] ?? 1;
  const screenX = (x: number) => LEFT + ((toXData(x) - xLow) / (xHigh - xLow)) * PLOT_WIDTH;
  const screenY = (y: number) => TOP + PLOT_HEIGHT - (y / yHigh) * PLOT_HEIGHT;

  const xTicks = isPercentile
    ? Array.from({ length: xHigh + 1 }, (_, decades) => ({ at: LEFT + (decades / xHigh) * PLOT_WIDTH, label: percentileLabel(decades) }))
    : linearTicks(xLow, xHigh, 8).map((value) => ({ at: LEFT + ((value - xLow) / (xHigh - xLow)) * PLOT_WIDTH, label: formatAxisNumber(value) }));
  const grid = [
    ...yTicks.map((value) => {
      const y = round1(screenY(value));
      return `<line class="grid" x1="${LEFT}" y1="${y}" x2="${LEFT + PLOT_WIDTH}" y2="${y}"/><text class="tick" x="${LEFT - 6}" y="${y + 4}" text-anchor="end">${escapeHtml(formatAxisNumber(value))}</text>`;
    }),
    ...xTicks.map(({ at, label }) => {
      const x = round1(at);
      return `<line class="grid" x1="${x}" y1="${TOP}" x2="${x}" y2="${TOP + PLOT_HEIGHT}"/><text class="tick" x="${x}" y="${TOP + PLOT_HEIGHT + 16}" text-anchor="middle">${escapeHtml(label)}</text>`;
    }),
  ].join('');
  const axes =
    `<line class="axis" x1="${LEFT}" y1="${TOP + PLOT_HEIGHT}" x2="${LEFT + PLOT_WIDTH}" y2="${TOP + PLOT_HEIGHT}"/>` +
    `<line class="axis" x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${TOP + PLOT_HEIGHT}"/>` +
    `<text class="axis-label" x="${LEFT + PLOT_WIDTH / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>` +
    `<text class="axis-label" transform="translate(16 ${TOP + PLOT_HEIGHT / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yLabel)}</text>`;

  const formatX = (x: number) => (isPercentile ? `${+x.toPrecision(6)}%` : `${+x.toFixed(3)} s`);
  const paths = series
    .map((entry) => {
      const coordinates = entry.points.map(([x, y]) => [round1(screenX(x)), round1(screenY(y))] as const);
      const d = entry.segments
        .map((segment) => segment.map(([x, y], position) => `${position === 0 ? 'M' : 'L'}${round1(screenX(x))},${round1(screenY(y))}`).join(''))
        .join('');
      const values = JSON.stringify(entry.points.map(([x, y], position) => [coordinates[position]?.[0] ?? 0, formatX(x), spec.formatY(y)]));
      const markers =
        entry.points.length <= MAX_MARKED_POINTS
          ? coordinates.map(([x, y]) => `<circle class="point" data-series="${escapeHtml(entry.name)}" cx="${x}" cy="${y}" r="2.5" fill="${entry.color}"/>`).join('')
          : '';
      const dash = entry.dashed ? ' stroke-dasharray="6 4"' : '';
      return (
        `<path class="series" data-series="${escapeHtml(entry.name)}" data-point-count="${entry.points.length}" data-values="${escapeHtml(values)}" ` +
        `d="${d}" fill="none" stroke="${entry.color}" stroke-width="1.8"${dash}/>${markers}`
      );
    })
    .join('');
  const empty = allPoints.length === 0 ? `<text class="empty" x="${LEFT + PLOT_WIDTH / 2}" y="${TOP + PLOT_HEIGHT / 2}" text-anchor="middle">${escapeHtml(spec.emptyMessage)}</text>` : '';
  const legend = spec.series
    .map((entry) => `<li><span class="swatch${entry.dashed ? ' dashed' : ''}" style="border-color:${entry.color}"></span>${escapeHtml(entry.name)}</li>`)
    .join('');
  const runAttribute = spec.run === undefined ? '' : ` data-run="${escapeHtml(spec.run)}"`;
  return (
    `<figure class="chart" data-chart="${spec.chartId}"${runAttribute}>` +
    `<figcaption>${escapeHtml(spec.title)}</figcaption>` +
    `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(spec.title)}" xmlns="http://www.w3.org/2000/svg">` +
    `<g class="frame">${grid}${axes}</g><g class="plot">${paths}</g>${empty}` +
    `<line class="guide" x1="0" y1="${TOP}" x2="0" y2="${TOP + PLOT_HEIGHT}" visibility="hidden"/></svg>` +
    `<ul class="legend">${legend}</ul><output class="readout" data-idle="Point at the chart to read values.">Point at the chart to read values.</output></figure>`
  );
}
