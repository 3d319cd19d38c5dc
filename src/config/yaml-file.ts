import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { describeType, isPlainMapping } from './render-value.js';
import type { ConfigValues } from './config-values.js';

/** Reads one YAML file as a mapping; reports a missing file, a syntax error or a non-mapping. */
export function readYamlMapping(file: string, values: ConfigValues): Record<string, unknown> | undefined {
  const source = { kind: 'file', file } as const;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    values.report(source, undefined, code === 'ENOENT' ? 'file not found' : `cannot be read: ${(error as Error).message}`);
    return undefined;
  }
  const document = parseDocument(text, { prettyErrors: true });
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) {
    for (const problem of problems) {
      const firstLine = problem.message.split('\n')[0]!.replace(/:$/, '');
      values.report(source, undefined, `is not valid YAML: ${firstLine}`);
    }
    return undefined;
  }
  const contents: unknown = document.toJS();
  if (contents === null || contents === undefined) return {};
  if (!isPlainMapping(contents)) {
    values.report(source, undefined, `must hold a mapping of settings at the top level, got ${describeType(contents)}`);
    return undefined;
  }
  return contents;
}
