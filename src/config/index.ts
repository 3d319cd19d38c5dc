/**
 * Configuration: the schema of every setting, the YAML profiles' loader and its errors.
 * Owns config/*.yaml's meaning; it reads files and the environment but starts nothing.
 */
export { loadConfig } from './loader.js';
export type { LoadConfigOptions } from './loader.js';
export { ConfigError, describeSource } from './errors.js';
export type { ConfigIssue, ConfigSource } from './errors.js';
export { configFields, fieldByPath, fieldByEnvironmentVariable, environmentVariableFor } from './schema.js';
export type { ConfigField, ConfigFieldPath, FieldSpec } from './schema.js';
export { describeAllowed } from './field-check.js';
export { listProfiles } from './profile-chain.js';
export type { CryptoBackendChoice, LogLevel, NodeConfig, PeerConfig } from './types.js';
