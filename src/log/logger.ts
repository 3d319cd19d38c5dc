import { assert } from '../errors.js';
import { toLogValue } from './log-value.js';
import type { LogLevel } from '../config/types.js';

/**
 * Structured JSON logs: one object per line, {"time", "level", "msg", "component", …fields},
 * on stderr unless a stream is given. Levels below the configured one are dropped before any
 * work is done. Field values pass through log-value.ts, so binary data is written as
 * {"bytes": N} and never as its contents.
 */

export type { LogLevel } from '../config/types.js';
export type LogFields = Record<string, unknown>;

/** Anything with write(): process.stderr, a file stream, or a collector in tests. */
export interface LogStream {
  write(line: string): unknown;
}

export interface LoggerOptions {
  level: LogLevel;
  component: string;
  /** process.stderr when absent. */
  stream?: LogStream;
}

export interface Logger {
  readonly level: LogLevel;
  readonly component: string;
  isEnabled(level: LogLevel): boolean;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Same level and stream; `component` replaces this logger's, other fields go on every line. */
  child(bindings: { component?: string } & LogFields): Logger;
}

export const logLevels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

const severity: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Keys every line starts with; a caller's field with one of these names is written as `<name>_field`. */
const reservedKeys = new Set(['time', 'level', 'msg', 'component']);

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (logLevels as readonly string[]).includes(value);
}

class JsonLogger implements Logger {
  constructor(
    readonly level: LogLevel,
    readonly component: string,
    private readonly stream: LogStream,
    private readonly bindings: LogFields,
  ) {
    assert(isLogLevel(level), `log level ${String(level)} is one of ${logLevels.join(', ')}`);
  }

  isEnabled(level: LogLevel): boolean {
    return severity[level] >= severity[this.level];
  }

  debug(msg: string, fields?: LogFields): void {
    this.write('debug', msg, fields);
  }

  info(msg: string, fields?: LogFields): void {
    this.write('info', msg, fields);
  }

  warn(msg: string, fields?: LogFields): void {
    this.write('warn', msg, fields);
  }

  error(msg: string, fields?: LogFields): void {
    this.write('error', msg, fields);
  }

  child(bindings: { component?: string } & LogFields): Logger {
    const { component, ...fields } = bindings;
    return new JsonLogger(this.level, component ?? this.component, this.stream, { ...this.bindings, ...fields });
  }

  private write(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    if (!this.isEnabled(level)) return;
    const line: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      msg: String(msg),
      component: this.component,
    };
    const options = { includeStack: this.level === 'debug' };
    for (const [key, value] of Object.entries({ ...this.bindings, ...fields })) {
      const converted = toLogValue(value, options);
      if (converted !== undefined) line[reservedKeys.has(key) ? `${key}_field` : key] = converted;
    }
    this.stream.write(`${JSON.stringify(line)}\n`);
  }
}

export function createLogger(options: LoggerOptions): Logger {
  return new JsonLogger(options.level, options.component, options.stream ?? process.stderr, {});
}
