import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/loader.js';
import { configDir } from '../../src/paths.js';
import { expectConfigError, makeConfigDir, shown } from './config-fixtures.js';

test('a YAML syntax error names the file and the line', (t) => {
  const folder = makeConfigDir(t, { 'syntax.yaml': 'grpc:\n  port: [9100\nshards:\n  count: 2\n' });
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'syntax', env: {} }));
  assert.ok(error.message.startsWith(`${shown(folder, 'syntax.yaml')}: is not valid YAML: `), error.message);
  assert.match(error.message, / at line \d+, column \d+/);
});

test('a duplicated key is an error, not a silent override', (t) => {
  const folder = makeConfigDir(t, { 'twice.yaml': 'grpc:\n  port: 9100\n  port: 9200\n' });
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'twice', env: {} }));
  assert.match(error.message, /twice\.yaml: is not valid YAML: Map keys must be unique at line 3, column 3/);
});

test('a file whose top level is not a mapping is rejected', (t) => {
  const folder = makeConfigDir(t, { 'list.yaml': '- grpc\n- port\n' });
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'list', env: {} }));
  assert.match(error.message, /list\.yaml: must hold a mapping of settings at the top level, got a list/);
});

test('an empty profile changes nothing', (t) => {
  const folder = makeConfigDir(t, { 'empty.yaml': '# nothing yet\n' });
  const config = loadConfig({ configDir: folder, profile: 'empty', env: {} });
  assert.deepEqual(config.profiles, ['empty']);
  assert.equal(config.grpc.port, 9004);
});

test('a profile file path that does not exist is named', (t) => {
  const folder = makeConfigDir(t, {});
  const missing = path.join(folder, 'nowhere.yaml');
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: missing, env: {} }));
  assert.equal(error.message, `${shown(folder, 'nowhere.yaml')}: file not found`);
});

test('a defaults.yaml missing a field names the field', (t) => {
  const defaults = readFileSync(path.join(configDir, 'defaults.yaml'), 'utf8').replace(/^ {2}tickMs: \d+\n/m, '');
  const folder = makeConfigDir(t, { 'defaults.yaml': defaults });
  const error = expectConfigError(() => loadConfig({ configDir: folder, env: {} }));
  assert.equal(error.message, `${shown(folder, 'defaults.yaml')}: raft.tickMs is missing; defaults.yaml must set every field`);
});
