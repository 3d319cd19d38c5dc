import { failedPrecondition } from '../../errors.js';

/**
 * The operator secret comes from the environment variable named by
 * `crypto.keystore.secretEnv` (AURIGRAPH_KEYSTORE_SECRET by default); it is never in a config
 * file, a log line or an error message.
 */
export function readOperatorSecret(secretEnvName: string, environment: NodeJS.ProcessEnv = process.env): Uint8Array {
  const value = environment[secretEnvName];
  if (value === undefined || value.length === 0) {
    throw failedPrecondition(
      `the keystore needs an operator secret in the environment variable ${secretEnvName} (named by crypto.keystore.secretEnv); it is unset or empty`,
      'crypto.keystore.secretEnv',
    );
  }
  return new TextEncoder().encode(value);
}
