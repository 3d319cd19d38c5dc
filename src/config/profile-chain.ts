import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { displayPath } from './errors.js';
import { renderValue } from './render-value.js';
import { readYamlMapping } from './yaml-file.js';
import type { ConfigValues } from './config-values.js';
import type { ConfigSource } from './errors.js';

/**
 * Resolves a profile and the profiles it `extends`, base first. A reference ending in .yaml or
 * .yml is a file path (relative to the working directory for the requested profile, to the
 * extending file for `extends`); anything else is a name in the config folder, such as 'dev' or
 * 'cluster-3/node-1'. 'defaults' names the base every chain already starts from.
 */

export interface ProfileLayer {
  /** The reference as written: a profile name or a file path. */
  name: string;
  file: string;
  mapping: Record<string, unknown>;
}

/** Bounds the walk; real chains are two or three long. */
const chainLengthMax = 16;
const profileNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;
const listingDepthMax = 4;
/** config/genesis/ holds genesis documents (ledger.genesisFile), which are not profiles. */
const genesisFolderName = 'genesis';

function isFilePath(reference: string): boolean {
  return reference.endsWith('.yaml') || reference.endsWith('.yml');
}

/**
 * Profile names in a config folder ('dev', 'cluster-3/node-1', …), sorted; defaults.yaml is not
 * one, nor is anything in the top-level genesis/ folder.
 */
export function listProfiles(configDirectory: string): string[] {
  const names: string[] = [];
  const visit = (folder: string, prefix: string, depth: number): void => {
    if (depth > listingDepthMax) return;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory() && depth === 0 && entry.name === genesisFolderName) continue;
      if (entry.isDirectory()) visit(path.join(folder, entry.name), `${prefix}${entry.name}/`, depth + 1);
      else if (entry.isFile() && entry.name.endsWith('.yaml')) names.push(prefix + entry.name.slice(0, -'.yaml'.length));
    }
  };
  visit(configDirectory, '', 0);
  return names.filter((name) => name !== 'defaults').sort();
}

function availableProfiles(configDirectory: string): string {
  try {
    const names = listProfiles(configDirectory);
    return names.length > 0 ? names.join(', ') : 'none';
  } catch {
    return 'none (the folder cannot be read)';
  }
}

export function resolveProfileChain(
  requested: string | undefined,
  /** Where the request came from: a flag, AURIGRAPH_PROFILE, … */
  requestSource: ConfigSource,
  configDirectory: string,
  values: ConfigValues,
): ProfileLayer[] {
  const chain: ProfileLayer[] = [];
  let reference = requested;
  let relativeTo = process.cwd();
  /** The file whose `extends` named the current reference; undefined for the requested profile. */
  let extendingFile: string | undefined;

  while (reference !== undefined && reference !== 'defaults') {
    const blame: ConfigSource = extendingFile === undefined ? requestSource : { kind: 'file', file: extendingFile };
    const blamedField = extendingFile === undefined ? undefined : 'extends';
    let file: string;
    if (isFilePath(reference)) {
      file = path.resolve(relativeTo, reference);
    } else if (profileNamePattern.test(reference) && !reference.split('/').includes('..')) {
      file = path.join(configDirectory, `${reference}.yaml`);
    } else {
      const message =
        `profile ${renderValue(reference)} is not a profile name (letters, digits, '.', '_', '-' and '/') ` +
        `or a path ending in .yaml`;
      values.report(blame, blamedField, message);
      break;
    }

    if (chain.some((layer) => layer.file === file)) {
      const loop = [...chain.map((layer) => displayPath(layer.file)), displayPath(file)].join(' → ');
      values.report(blame, blamedField, `extends = ${renderValue(reference)} is not allowed: it makes a cycle: ${loop}`);
      break;
    }
    if (chain.length === chainLengthMax) {
      values.report(blame, blamedField, `extends chain is longer than ${chainLengthMax} profiles`);
      break;
    }

    if (!isFilePath(reference) && !existsSync(file)) {
      values.report(
        blame,
        blamedField,
        (blamedField === undefined
          ? `profile ${renderValue(reference)} not found`
          : `extends = ${renderValue(reference)} names no profile`) +
          `: there is no ${displayPath(file)}; ` +
          `profiles in ${displayPath(configDirectory)}: ${availableProfiles(configDirectory)}`,
      );
      break;
    }
    const mapping = readYamlMapping(file, values);
    if (mapping === undefined) break;
    chain.push({ name: reference, file, mapping });

    const next = mapping['extends'];
    if (next !== undefined && typeof next !== 'string') {
      values.report(
        { kind: 'file', file },
        'extends',
        `extends = ${renderValue(next)} has the wrong type: expected a string naming one profile`,
      );
      break;
    }
    reference = next;
    relativeTo = path.dirname(file);
    extendingFile = file;
  }
  return chain.reverse();
}
