import { checkFieldValue } from './field-check.js';
import type { ConfigIssue, ConfigSource } from './errors.js';
import type { ConfigField } from './schema.js';

/**
 * The values gathered so far, layer over layer, each with the source that set it, plus every
 * issue found on the way. A value is checked when it is offered, so a bad value in a file is
 * reported even when a later layer overrides it.
 */
export class ConfigValues {
  readonly issues: ConfigIssue[] = [];
  private readonly accepted = new Map<string, { value: unknown; source: ConfigSource; order: number }>();
  private offers = 0;
  private readonly rejected = new Set<string>();

  offer(field: ConfigField, value: unknown, source: ConfigSource): void {
    const problems = checkFieldValue(field, value);
    if (problems.length === 0) {
      this.accepted.set(field.path, { value, source, order: this.offers++ });
      return;
    }
    this.rejected.add(field.path);
    for (const problem of problems) this.report(source, problem.field, problem.message);
  }

  report(source: ConfigSource, field: string | undefined, message: string): void {
    this.issues.push({ source, field, message });
  }

  /** Marks a field whose text could not be parsed, so rules that read it stand aside. */
  reject(field: ConfigField): void {
    this.rejected.add(field.path);
  }

  valueOf(path: string): unknown {
    return this.accepted.get(path)?.value;
  }

  sourceOf(path: string): ConfigSource | undefined {
    return this.accepted.get(path)?.source;
  }

  /** Larger for values applied later: a later layer, or later in the same layer. */
  orderOf(path: string): number {
    return this.accepted.get(path)?.order ?? -1;
  }

  /** Present, and never offered a bad value by any layer. */
  isSound(path: string): boolean {
    return this.accepted.has(path) && !this.rejected.has(path);
  }

  isRejected(path: string): boolean {
    return this.rejected.has(path);
  }
}
