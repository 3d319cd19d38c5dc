import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { ConfigError, displayPath } from '../../src/config/errors.js';
import { configDir } from '../../src/paths.js';

/**
 * A throwaway config folder holding the real defaults.yaml (unless replaced) and the given
 * profile files, removed when the test ends.
 */
export function makeConfigDir(t: TestContext, files: Record<string, string>): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'aurigraph-config-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  copyFileSync(path.join(configDir, 'defaults.yaml'), path.join(folder, 'defaults.yaml'));
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(folder, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return folder;
}

/** Runs `load`, which must throw a ConfigError, and returns it. */
export function expectConfigError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected loadConfig to throw a ConfigError');
}

/** How an error message names a file in `folder`. */
export function shown(folder: string, name: string): string {
  return displayPath(path.join(folder, name));
}

/** The one message line that mentions `field`; fails unless exactly one does. */
export function lineAbout(error: ConfigError, field: string): string {
  const lines = error.message.split('\n').filter((line) => line.includes(`${field} `) || line.includes(`${field}:`));
  assert.equal(lines.length, 1, `expected one line about ${field} in:\n${error.message}`);
  return lines[0]!;
}
