import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectingLogger } from './log-collector.js';

test('each call writes one JSON object on one line with time, level, msg, component and fields', () => {
  const { logger, lines, records } = collectingLogger('debug', 'acceptor');
  logger.info('gRPC server listening', { port: 9004, host: '127.0.0.1', tls: false, peers: ['node-2'] });
  assert.equal(lines.length, 1);
  assert.ok(lines[0]!.endsWith('\n'));
  assert.equal(lines[0]!.indexOf('\n'), lines[0]!.length - 1, 'exactly one newline, at the end');
  const [record] = records();
  assert.deepEqual(Object.keys(record!).slice(0, 4), ['time', 'level', 'msg', 'component']);
  assert.equal(new Date(record!['time'] as string).toISOString(), record!['time']);
  assert.deepEqual({ ...record, time: undefined }, {
    time: undefined,
    level: 'info',
    msg: 'gRPC server listening',
    component: 'acceptor',
    port: 9004,
    host: '127.0.0.1',
    tls: false,
    peers: ['node-2'],
  });
});

test('a message with newlines and quotes stays on one line', () => {
  const { logger, lines, records } = collectingLogger('info');
  logger.warn('line one\nline "two"');
  assert.equal(lines[0]!.split('\n').length, 2);
  assert.equal(records()[0]!['msg'], 'line one\nline "two"');
});

test('child loggers replace the component and add their fields to every line', () => {
  const { logger, records } = collectingLogger('info', 'node');
  const raft = logger.child({ component: 'raft', nodeId: 'node-1' });
  const storage = raft.child({ term: 3 });
  raft.info('elected', { term: 2 });
  storage.info('persisted');
  logger.info('parent unchanged');
  const [elected, persisted, parent] = records();
  assert.equal(elected!['component'], 'raft');
  assert.equal(elected!['nodeId'], 'node-1');
  assert.equal(elected!['term'], 2, 'a call field wins over a bound one');
  assert.equal(persisted!['component'], 'raft');
  assert.equal(persisted!['term'], 3);
  assert.equal(persisted!['nodeId'], 'node-1');
  assert.equal(parent!['component'], 'node');
  assert.equal(parent!['nodeId'], undefined);
});

test('a field named like a line key cannot overwrite it', () => {
  const { logger, records } = collectingLogger('info', 'node');
  logger.info('real message', { msg: 'fake', level: 'error', time: 'yesterday' });
  const [record] = records();
  assert.equal(record!['msg'], 'real message');
  assert.equal(record!['level'], 'info');
  assert.notEqual(record!['time'], 'yesterday');
  assert.equal(record!['msg_field'], 'fake');
  assert.equal(record!['level_field'], 'error');
  assert.equal(record!['time_field'], 'yesterday');
});

test('undefined fields are left out', () => {
  const { logger, records } = collectingLogger('info');
  logger.info('sparse', { present: 1, absent: undefined });
  assert.deepEqual(Object.keys(records()[0]!), ['time', 'level', 'msg', 'component', 'present']);
});
