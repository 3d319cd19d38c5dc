import path from 'node:path';
import { configDir as repositoryConfigDirectory } from '../paths.js';
import { ConfigValues } from './config-values.js';
import { crossFieldRules } from './cross-field.js';
import { ConfigError, describeSource } from './errors.js';
import { resolveProfileChain } from './profile-chain.js';
import { renderValue } from './render-value.js';
import { configFields } from './schema.js';
import { applyEnvironment, applyFlags, profileEnvironmentVariable, reportUnknownEnvironment } from './text-layers.js';
import { readYamlMapping } from './yaml-file.js';
import { applyYamlLayer } from './yaml-layer.js';
import type { ConfigSource } from './errors.js';
import type { NodeConfig } from './types.js';

export interface LoadConfigOptions {
  /**
   * A profile name in the config folder ('dev', 'cluster-3/node-1') or a path to a YAML file.
   * When absent, AURIGRAPH_PROFILE from `env` is used; when that is absent too, defaults only.
   */
  profile?: string;
  /** Environment to read AURIGRAPH_* settings from; process.env when absent. */
  env?: NodeJS.ProcessEnv;
  /** Dotted paths to text values, from command-line flags: { 'grpc.port': '9100' }. */
  overrides?: Record<string, string>;
  /** Folder holding defaults.yaml and the profiles; the repository's config/ when absent. */
  configDir?: string;
}

/**
 * Builds a node's configuration: config/defaults.yaml, then the profile chain (base first),
 * then AURIGRAPH_* environment variables, then `overrides`. Every value is checked against the
 * schema as it is applied, then cross-field rules run over the result. Throws one ConfigError
 * listing every problem found. node.dataDir comes back as an absolute path (against the working
 * directory), ledger.genesisFile too (against the config folder).
 */
export function loadConfig(options: LoadConfigOptions = {}): NodeConfig {
  const environment = options.env ?? process.env;
  const configDirectory = path.resolve(options.configDir ?? repositoryConfigDirectory);
  const values = new ConfigValues();

  const defaultsFile = path.join(configDirectory, 'defaults.yaml');
  const defaults = readYamlMapping(defaultsFile, values);
  if (defaults === undefined) throw new ConfigError(values.issues);
  if ('extends' in defaults) {
    values.report({ kind: 'file', file: defaultsFile }, 'extends', 'defaults.yaml is the base of every profile and cannot extend another');
  }
  applyYamlLayer(defaults, defaultsFile, values);

  const requestedFromEnvironment = options.profile === undefined ? environment[profileEnvironmentVariable] : undefined;
  const requestSource: ConfigSource =
    requestedFromEnvironment !== undefined
      ? { kind: 'environment', variable: profileEnvironmentVariable }
      : { kind: 'flag', flag: 'profile' };
  const chain = resolveProfileChain(options.profile ?? requestedFromEnvironment, requestSource, configDirectory, values);
  for (const layer of chain) applyYamlLayer(layer.mapping, layer.file, values);

  applyEnvironment(environment, values);
  applyFlags(options.overrides ?? {}, values);
  reportUnknownEnvironment(environment, values.valueOf('crypto.keystore.secretEnv'), values);

  for (const field of configFields) {
    if (values.valueOf(field.path) === undefined && !values.isRejected(field.path)) {
      values.report({ kind: 'file', file: defaultsFile }, field.path, `${field.path} is missing; defaults.yaml must set every field`);
    }
  }

  const origin = (fieldPath: string): string => describeSource(values.sourceOf(fieldPath)!);
  const mention = (fieldPath: string): string => `${fieldPath} = ${renderValue(values.valueOf(fieldPath))} (from ${origin(fieldPath)})`;
  for (const rule of crossFieldRules) {
    if (!rule.fields.every((fieldPath) => values.isSound(fieldPath)) || rule.holds((fieldPath) => values.valueOf(fieldPath))) continue;
    const blamed = rule.fields.reduce((latest, fieldPath) => (values.orderOf(fieldPath) > values.orderOf(latest) ? fieldPath : latest));
    const requirement = rule.requirement(blamed, (fieldPath) => values.valueOf(fieldPath), mention, origin);
    values.report(values.sourceOf(blamed)!, blamed, `${blamed} = ${renderValue(values.valueOf(blamed))} is not allowed: ${requirement}`);
  }

  if (values.issues.length > 0) throw new ConfigError(values.issues);
  return buildConfig(values, chain.map((layer) => layer.name), configDirectory);
}

function buildConfig(values: ConfigValues, profiles: string[], configDirectory: string): NodeConfig {
  const tree: Record<string, unknown> = { profiles };
  for (const field of configFields) {
    const segments = field.path.split('.');
    let section = tree;
    for (const segment of segments.slice(0, -1)) {
      section[segment] ??= {};
      section = section[segment] as Record<string, unknown>;
    }
    // Copies, so a caller that edits its config cannot change values held by another.
    const value = values.valueOf(field.path);
    section[segments[segments.length - 1]!] = Array.isArray(value)
      ? value.map((peer: { id: string; address: string }) => ({ id: peer.id, address: peer.address }))
      : value;
  }
  const config = tree as unknown as NodeConfig;
  config.node.dataDir = path.resolve(config.node.dataDir);
  // The genesis document ships beside the profiles, so a relative path names a file there
  // whatever the working directory is.
  config.ledger.genesisFile = path.resolve(configDirectory, config.ledger.genesisFile);
  return config;
}
