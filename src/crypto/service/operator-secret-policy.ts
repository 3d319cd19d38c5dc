import type { NodeConfig } from '../../config/types.js';
import type { Logger } from '../../log/logger.js';
import { readOperatorSecret } from '../keystore/operator-secret.js';

/**
 * Where the keystore's operator secret comes from:
 *
 * - the environment variable named by `crypto.keystore.secretEnv`, whenever it is set and
 *   non-empty, in every profile;
 * - otherwise, when the profile chain includes `dev` (`config.profiles` contains 'dev': the dev
 *   profile itself and profiles that extend it, such as cluster-3/node-N), a fixed, public
 *   development secret, with a warning in the log, so `npm start` works on a fresh machine;
 * - otherwise start fails with an error naming the variable.
 *
 * A keystore created under the development secret protects nothing: anyone with the files and
 * this source can open it. Starting it later with a real secret fails as a wrong secret.
 */

export const developmentProfile = 'dev';
export const developmentSecret = 'aurigraph-development-keystore-secret-not-for-real-keys';

export interface OperatorSecret {
  secret: Uint8Array;
  /** True when the fixed development secret is in use. */
  isDevelopmentSecret: boolean;
}

export function resolveOperatorSecret(config: NodeConfig, environment: NodeJS.ProcessEnv, logger: Logger): OperatorSecret {
  const secretEnv = config.crypto.keystore.secretEnv;
  const value = environment[secretEnv];
  if ((value === undefined || value.length === 0) && config.profiles.includes(developmentProfile)) {
    logger.warn(
      `INSECURE: ${secretEnv} is not set, so the keystore uses the fixed development secret (profile ${developmentProfile}); ` +
        `its keys are not protected. Set ${secretEnv} for any key that matters.`,
      { secretEnv, profiles: config.profiles },
    );
    return { secret: new TextEncoder().encode(developmentSecret), isDevelopmentSecret: true };
  }
  return { secret: readOperatorSecret(secretEnv, environment), isDevelopmentSecret: false };
}
