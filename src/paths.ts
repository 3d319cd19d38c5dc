import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The repository root, found from this file's place in either the source tree (src/paths.ts) or
 * the compiled tree (dist/src/paths.js), so code and tests can find proto/ and config/.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const compiled = path.basename(path.dirname(here)) === 'dist';
export const repoRoot = compiled ? path.resolve(here, '..', '..') : path.resolve(here, '..');
export const protoDir = path.join(repoRoot, 'proto');
export const configDir = path.join(repoRoot, 'config');
export const distDir = path.join(repoRoot, 'dist');
