import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectingLogger } from './log-collector.js';
import { logLevels } from '../../src/log/logger.js';
import type { LogLevel } from '../../src/log/logger.js';

function writeOneOfEach(level: LogLevel): string[] {
  const { logger, records } = collectingLogger(level);
  logger.debug('d');
  logger.info('i');
  logger.warn('w');
  logger.error('e');
  return records().map((record) => record['level'] as string);
}

test('each level writes itself and everything more severe', () => {
  assert.deepEqual(writeOneOfEach('debug'), ['debug', 'info', 'warn', 'error']);
  assert.deepEqual(writeOneOfEach('info'), ['info', 'warn', 'error']);
  assert.deepEqual(writeOneOfEach('warn'), ['warn', 'error']);
  assert.deepEqual(writeOneOfEach('error'), ['error']);
});

test('isEnabled agrees with what is written', () => {
  for (const configured of logLevels) {
    const { logger } = collectingLogger(configured);
    const enabled = logLevels.filter((level) => logger.isEnabled(level));
    assert.deepEqual(enabled, logLevels.slice(logLevels.indexOf(configured)));
  }
});

test('a child keeps its parent\'s level', () => {
  const { logger, records } = collectingLogger('warn');
  const child = logger.child({ component: 'shard' });
  child.info('dropped');
  child.warn('kept');
  assert.deepEqual(records().map((record) => record['msg']), ['kept']);
  assert.equal(child.level, 'warn');
});

test('an unknown level is refused when the logger is made', () => {
  assert.throws(() => collectingLogger('verbose' as LogLevel), /log level verbose/);
});
