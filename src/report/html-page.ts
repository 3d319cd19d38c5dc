import { escapeHtml } from './format.js';

/**
 * The page around the charts: one self-contained file (inline CSS, inline SVG, a few lines of
 * inline script for reading values under the pointer) that opens from disk with no network.
 */
const STYLE = `
:root { color-scheme: light; --ink: #1a202c; --muted: #4a5568; --line: #e2e8f0; --warn: #fffaf0; --warn-edge: #dd6b20; --bad: #fff5f5; --bad-edge: #c53030; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
p.subtitle { margin: 0 0 16px; color: var(--muted); }
.notice { border-left: 4px solid var(--warn-edge); background: var(--warn); padding: 8px 12px; margin: 8px 0; }
.notice.bad { border-color: var(--bad-edge); background: var(--bad); }
table { border-collapse: collapse; margin: 8px 0; }
th, td { text-align: right; padding: 4px 12px; border-bottom: 1px solid var(--line); font-variant-numeric: tabular-nums; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 2px solid #cbd5e0; }
td.better { color: #276749; } td.worse { color: #9b2c2c; }
.tables { display: flex; flex-wrap: wrap; gap: 32px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 20px; }
.runs { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
.runs .charts { grid-template-columns: 1fr; }
figure.chart { margin: 0; padding: 12px; border: 1px solid var(--line); border-radius: 6px; }
figure.chart figcaption { font-weight: 600; margin-bottom: 6px; }
figure.chart svg { width: 100%; height: auto; display: block; }
svg .grid { stroke: #edf2f7; stroke-width: 1; }
svg .axis { stroke: #718096; stroke-width: 1; }
svg .tick, svg .axis-label, svg .empty { fill: #4a5568; font-size: 11px; font-family: inherit; }
svg .axis-label { font-size: 12px; }
svg .empty { font-size: 14px; }
svg .guide { stroke: #a0aec0; stroke-width: 1; }
ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 14px; margin: 6px 0 0; padding: 0; color: var(--muted); }
.swatch { display: inline-block; width: 18px; height: 0; border-top: 3px solid; margin-right: 6px; vertical-align: middle; }
.swatch.dashed { border-top-style: dashed; }
output.readout { display: block; min-height: 1.4em; color: var(--muted); font-variant-numeric: tabular-nums; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`;

const SCRIPT = `
(function () {
  for (const figure of document.querySelectorAll('figure[data-chart]')) {
    const svg = figure.querySelector('svg');
    const readout = figure.querySelector('output.readout');
    const guide = svg.querySelector('line.guide');
    const series = Array.from(svg.querySelectorAll('path[data-values]')).map(function (path) {
      return { name: path.getAttribute('data-series'), values: JSON.parse(path.getAttribute('data-values')) };
    }).filter(function (entry) { return entry.values.length > 0; });
    if (series.length === 0) continue;
    svg.addEventListener('mousemove', function (event) {
      const matrix = svg.getScreenCTM();
      if (!matrix) return;
      const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
      const parts = [];
      let at = null;
      for (const entry of series) {
        let nearest = entry.values[0];
        for (const value of entry.values) if (Math.abs(value[0] - point.x) < Math.abs(nearest[0] - point.x)) nearest = value;
        if (at === null) at = nearest;
        parts.push(entry.name + ': ' + nearest[2]);
      }
      guide.setAttribute('x1', at[0]);
      guide.setAttribute('x2', at[0]);
      guide.setAttribute('visibility', 'visible');
      readout.textContent = at[1] + ' | ' + parts.join(' | ');
    });
    svg.addEventListener('mouseleave', function () {
      guide.setAttribute('visibility', 'hidden');
      readout.textContent = readout.getAttribute('data-idle');
    });
  }
})();
`;

export function renderPage(title: string, body: string): string {
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>\n${body}\n` +
    '<footer>Latencies are recorded in microseconds with HdrHistogram (3 significant digits). ' +
    'Corrected latency counts from each request\'s intended start on the schedule (corrected for coordinated omission); ' +
    'uncorrected latency counts from the actual send.</footer>\n' +
    `<script>${SCRIPT}</script>\n</body></html>\n`
  );
}
