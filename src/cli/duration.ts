import { CliUsageError } from './usage.js';

const unitsMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "500ms", "10s", "5m", "24h", "1h30m", or a plain number of seconds → milliseconds. */
export function parseDuration(flag: string, text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const consumed = parts.map((part) => part[0]).join('');
  if (parts.length === 0 || consumed !== trimmed) {
    throw new CliUsageError(`${flag} must be a duration such as 500ms, 60s, 5m, 24h or 1h30m, got '${text}'`);
  }
  const totalMs = parts.reduce((sum, part) => sum + Number(part[1]) * unitsMs[part[2]!]!, 0);
  if (!Number.isFinite(totalMs) || totalMs <= 0) throw new CliUsageError(`${flag} must be longer than zero, got '${text}'`);
  return Math.round(totalMs);
}

/** A positive whole number flag. */
export function parseCount(flag: string, text: string, minimum = 1): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < minimum) {
    throw new CliUsageError(`${flag} must be a whole number of at least ${minimum}, got '${text}'`);
  }
  return value;
}

/** A positive number flag (rates, exponents). */
export function parseNumber(flag: string, text: string, minimum: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < minimum) throw new CliUsageError(`${flag} must be a number of at least ${minimum}, got '${text}'`);
  return value;
}

export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m${String(rest).padStart(2, '0')}s`;
  if (minutes > 0) return `${minutes}m${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}
