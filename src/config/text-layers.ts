import { parseFieldText } from './parse-text.js';
import { configFields, configSections, environmentPrefix, environmentVariableFor, fieldByPath } from './schema.js';
import { closestMatch } from './suggest.js';
import type { ConfigValues } from './config-values.js';
import type { ConfigSource } from './errors.js';
import type { ConfigField } from './schema.js';

/**
 * The two text layers over the YAML files: AURIGRAPH_* environment variables, then
 * command-line overrides given as dotted paths. Both parse by the field's type and then pass
 * the same validator as YAML values.
 */

/** Names the profile when the caller passes none. */
export const profileEnvironmentVariable = `${environmentPrefix}PROFILE`;

function offerText(field: ConfigField, text: string, source: ConfigSource, values: ConfigValues): void {
  const parsed = parseFieldText(field, text);
  if (parsed.ok) {
    values.offer(field, parsed.value, source);
  } else {
    values.reject(field);
    values.report(source, parsed.problem.field, parsed.problem.message);
  }
}

export function applyEnvironment(environment: NodeJS.ProcessEnv, values: ConfigValues): void {
  for (const field of configFields) {
    const text = environment[field.environmentVariable];
    if (text !== undefined) offerText(field, text, { kind: 'environment', variable: field.environmentVariable }, values);
  }
}

const sectionPrefixes = configSections.map((section) => environmentVariableFor(section) + '_');
const environmentVariableNames = configFields.map((field) => field.environmentVariable);

/**
 * AURIGRAPH_<SECTION>_* belongs to configuration, so a name there that matches no setting is a
 * typo worth stopping for. Other AURIGRAPH_* names (the keystore secret, AURIGRAPH_PROFILE) are
 * left alone; `secretVariable` is exempt wherever it lives.
 */
export function reportUnknownEnvironment(environment: NodeJS.ProcessEnv, secretVariable: unknown, values: ConfigValues): void {
  const known = new Set(environmentVariableNames);
  for (const name of Object.keys(environment).sort()) {
    if (known.has(name) || name === secretVariable) continue;
    if (!sectionPrefixes.some((prefix) => name.startsWith(prefix))) continue;
    const suggestion = closestMatch(name, environmentVariableNames);
    values.report(
      { kind: 'environment', variable: name },
      undefined,
      `${name} is not a known setting` +
        (suggestion === undefined ? '; see config/README.md for the names' : `; did you mean ${suggestion}?`),
    );
  }
}

const allPaths = configFields.map((field) => field.path);

export function applyFlags(overrides: Record<string, string>, values: ConfigValues): void {
  for (const [key, text] of Object.entries(overrides)) {
    const path = key.replace(/^--/, '');
    const source = { kind: 'flag', flag: path } as const;
    const field = fieldByPath(path);
    if (field !== undefined) {
      offerText(field, text, source, values);
      continue;
    }
    const inSection = allPaths.filter((candidate) => candidate.startsWith(`${path}.`));
    if (inSection.length > 0) {
      values.report(source, path, `${path} is a section, not a setting; set one of: ${inSection.join(', ')}`);
      continue;
    }
    const suggestion = closestMatch(path, allPaths);
    values.report(
      source,
      path,
      `${path} is not a known setting` + (suggestion === undefined ? '; see config/README.md' : `; did you mean ${suggestion}?`),
    );
  }
}
