import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/loader.js';
import { configDir } from '../../src/paths.js';
import { expectConfigError, makeConfigDir, shown } from './config-fixtures.js';

test('an extends chain applies base first, each profile overriding the one it extends', (t) => {
  const folder = makeConfigDir(t, {
    'base.yaml': 'shards:\n  count: 3\ngrpc:\n  port: 9100\nlog:\n  level: warn\n',
    'middle.yaml': 'extends: base\ngrpc:\n  port: 9200\n',
    'team/top.yaml': 'extends: middle\nlog:\n  level: error\n',
  });
  const config = loadConfig({ configDir: folder, profile: 'team/top', env: {} });
  assert.deepEqual(config.profiles, ['base', 'middle', 'team/top']);
  assert.equal(config.shards.count, 3);
  assert.equal(config.grpc.port, 9200);
  assert.equal(config.log.level, 'error');
});

test('extends may name a YAML file relative to the extending file', (t) => {
  const folder = makeConfigDir(t, {
    'shared/base.yaml': 'shards:\n  count: 5\n',
    'team/node.yaml': 'extends: ../shared/base.yaml\ngrpc:\n  port: 9300\n',
  });
  const config = loadConfig({ configDir: folder, profile: path.join(folder, 'team/node.yaml'), env: {} });
  assert.deepEqual(config.profiles, ['../shared/base.yaml', path.join(folder, 'team/node.yaml')]);
  assert.equal(config.shards.count, 5);
  assert.equal(config.grpc.port, 9300);
});

test('extends: defaults ends the chain at the base', (t) => {
  const folder = makeConfigDir(t, { 'plain.yaml': 'extends: defaults\ngrpc:\n  port: 9400\n' });
  const config = loadConfig({ configDir: folder, profile: 'plain', env: {} });
  assert.deepEqual(config.profiles, ['plain']);
  assert.equal(config.grpc.port, 9400);
});

test('a cycle is detected and shows the loop', (t) => {
  const folder = makeConfigDir(t, {
    'a.yaml': 'extends: b\n',
    'b.yaml': 'extends: c\n',
    'c.yaml': 'extends: a\n',
  });
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'a', env: {} }));
  const [a, b, c] = ['a.yaml', 'b.yaml', 'c.yaml'].map((name) => shown(folder, name));
  assert.equal(error.message, `${c}: extends = "a" is not allowed: it makes a cycle: ${a} → ${b} → ${c} → ${a}`);
  assert.equal(error.field, 'extends');
});

test('a profile that extends itself is a cycle', (t) => {
  const folder = makeConfigDir(t, { 'self.yaml': 'extends: self\n' });
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'self', env: {} }));
  assert.match(error.message, /self\.yaml: extends = "self" is not allowed: it makes a cycle/);
});

test('extending a missing profile names the extending file and the profiles that exist', (t) => {
  const folder = makeConfigDir(t, { 'node.yaml': 'extends: deev\n', 'dev.yaml': 'log:\n  level: debug\n' });
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'node', env: {} }));
  assert.equal(
    error.message,
    `${shown(folder, 'node.yaml')}: extends = "deev" names no profile: there is no ${shown(folder, 'deev.yaml')}; ` +
      `profiles in ${shown(folder, '')}: dev, node`,
  );
});

test('extends must be one string', (t) => {
  const folder = makeConfigDir(t, { 'node.yaml': 'extends: [dev, bench]\n' });
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'node', env: {} }));
  assert.match(error.message, /node\.yaml: extends = \["dev","bench"\] has the wrong type: expected a string naming one profile/);
});

test('a profile name cannot climb out of the config folder', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: '../etc/passwd', env: {} }));
  assert.match(error.message, /^command-line flag --profile: profile "\.\.\/etc\/passwd" is not a profile name/);
});

test('defaults.yaml cannot extend anything', (t) => {
  const defaults = readFileSync(path.join(configDir, 'defaults.yaml'), 'utf8');
  const folder = makeConfigDir(t, { 'defaults.yaml': `extends: dev\n${defaults}`, 'dev.yaml': 'log:\n  level: debug\n' });
  const error = expectConfigError(() => loadConfig({ configDir: folder, env: {} }));
  assert.equal(
    error.message,
    `${shown(folder, 'defaults.yaml')}: defaults.yaml is the base of every profile and cannot extend another`,
  );
});
