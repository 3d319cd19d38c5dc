import { createLogger } from '../../src/log/logger.js';
import type { Logger, LogLevel } from '../../src/log/logger.js';

/** A logger writing into memory, and the parsed lines it wrote. */
export function collectingLogger(level: LogLevel, component = 'test'): { logger: Logger; lines: string[]; records: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const logger = createLogger({ level, component, stream: { write: (line: string) => lines.push(line) } });
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
