import path from 'node:path';
import { AurigraphError, assert } from '../errors.js';

/** Where a configuration value came from, so an error can send the user to the right place. */
export type ConfigSource =
  | { kind: 'file'; file: string }
  | { kind: 'environment'; variable: string }
  | { kind: 'flag'; flag: string };

/** A file path as the user would type it from here: relative when below the working directory. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

export function describeSource(source: ConfigSource): string {
  switch (source.kind) {
    case 'file':
      return displayPath(source.file);
    case 'environment':
      return `environment variable ${source.variable}`;
    case 'flag':
      return `command-line flag --${source.flag}`;
  }
}

export interface ConfigIssue {
  source: ConfigSource;
  /** Dotted field path, e.g. 'shards.ringRecords' or 'raft.peers[1].id'; undefined for whole-file problems. */
  field: string | undefined;
  /** The sentence after the source, e.g. 'grpc.port = 70000 is not allowed: must be …'. */
  message: string;
}

export function renderIssue(issue: ConfigIssue): string {
  return `${describeSource(issue.source)}: ${issue.message}`;
}

function renderIssues(issues: readonly ConfigIssue[]): string {
  if (issues.length === 1) return renderIssue(issues[0]!);
  return `${issues.length} configuration errors:\n${issues.map((issue) => `  - ${renderIssue(issue)}`).join('\n')}`;
}

/**
 * Everything wrong with a configuration, found in one pass. `file` and `field` describe the
 * first issue (for callers that handle one); `issues` holds them all, and the message lists them
 * one per line, each naming its source, the field, the bad value and what is allowed.
 */
export class ConfigError extends AurigraphError {
  /** File of the first issue, when it came from a file. */
  readonly file: string | undefined;
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    assert(issues.length > 0, 'a ConfigError has at least one issue');
    const first = issues[0]!;
    super('invalid_argument', renderIssues(issues), first.field);
    this.name = 'ConfigError';
    this.file = first.source.kind === 'file' ? first.source.file : undefined;
    this.issues = issues;
  }
}
