/** Text formatting shared by the HTML report and the command line. */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** Milliseconds with about three significant digits, from microseconds. */
export function formatMillisecondsFromMicroseconds(valueUs: number): string {
  const ms = valueUs / 1000;
  if (ms >= 100) return `${Math.round(ms).toLocaleString('en-US')} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(3)} ms`;
}

export function formatCount(value: number | null): string {
  return value === null ? 'not recorded' : Math.round(value).toLocaleString('en-US');
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 100) return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
  return `${perSecond.toFixed(2)}/s`;
}

export function formatSeconds(seconds: number): string {
  return seconds >= 100 ? `${Math.round(seconds).toLocaleString('en-US')} s` : `${seconds.toFixed(2)} s`;
}

export function formatMebibytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** A short, readable number for axis labels. */
export function formatAxisNumber(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6) return `${+(value / 1e6).toPrecision(3)}M`;
  if (magnitude >= 1e4) return `${+(value / 1e3).toPrecision(3)}k`;
  return `${+value.toPrecision(4)}`;
}
