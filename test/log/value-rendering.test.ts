import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AurigraphError, invalidArgument } from '../../src/errors.js';
import { collectingLogger } from './log-collector.js';

test('bigint is written as a decimal string', () => {
  const { logger, records } = collectingLogger('info');
  logger.info('applied', { height: 18_446_744_073_709_551_615n, balances: [1n, -2n] });
  const [record] = records();
  assert.equal(record!['height'], '18446744073709551615');
  assert.deepEqual(record!['balances'], ['1', '-2']);
});

test('errors carry name, message and their own fields; the stack only at debug', () => {
  const error = invalidArgument('grpc.port', 'must be a port');
  const atInfo = collectingLogger('info');
  atInfo.logger.error('start failed', { error });
  const infoRecord = atInfo.records()[0]!['error'] as Record<string, unknown>;
  assert.deepEqual(infoRecord, {
    name: 'AurigraphError',
    message: 'grpc.port: must be a port',
    kind: 'invalid_argument',
    field: 'grpc.port',
  });

  const atDebug = collectingLogger('debug');
  atDebug.logger.error('start failed', { error });
  const debugRecord = atDebug.records()[0]!['error'] as Record<string, unknown>;
  assert.equal(typeof debugRecord['stack'], 'string');
  assert.match(debugRecord['stack'] as string, /AurigraphError: grpc\.port: must be a port\n\s+at /);
});

test('an error\'s cause is written too', () => {
  const { logger, records } = collectingLogger('info');
  const cause = new AurigraphError('unavailable', 'peer down');
  logger.warn('append failed', { error: new Error('replication stalled', { cause }) });
  assert.deepEqual(records()[0]!['error'], {
    name: 'Error',
    message: 'replication stalled',
    cause: { name: 'AurigraphError', message: 'peer down', kind: 'unavailable' },
  });
});

test('cycles, depth and size are bounded', () => {
  const { logger, lines, records } = collectingLogger('info');
  const loop: Record<string, unknown> = { name: 'loop' };
  loop['self'] = loop;
  let deep: Record<string, unknown> = { level: 'bottom' };
  for (let level = 0; level < 20; level++) deep = { inner: deep };
  logger.info('shapes', { loop, deep, long: 'x'.repeat(10_000), many: Array.from({ length: 150 }, (_, index) => index) });
  const [record] = records();
  assert.deepEqual(record!['loop'], { name: 'loop', self: '[circular]' });
  assert.ok(JSON.stringify(record!['deep']).includes('[too deep]'));
  assert.ok((record!['long'] as string).startsWith('x'.repeat(4096) + '…(+5904 chars)'));
  const many = record!['many'] as unknown[];
  assert.equal(many.length, 101);
  assert.equal(many[100], '… 50 more items');
  assert.ok(lines[0]!.length < 10_000);
});

test('dates, sets, maps and odd numbers are written as JSON', () => {
  const { logger, records } = collectingLogger('info');
  logger.info('misc', {
    when: new Date('2025-01-02T03:04:05.000Z'),
    tags: new Set(['a', 'b']),
    byShard: new Map([[0, 'idle']]),
    ratio: Number.NaN,
    callback: () => 1,
  });
  const [record] = records();
  assert.equal(record!['when'], '2025-01-02T03:04:05.000Z');
  assert.deepEqual(record!['tags'], ['a', 'b']);
  assert.deepEqual(record!['byShard'], { 0: 'idle' });
  assert.equal(record!['ratio'], 'NaN');
  assert.equal('callback' in record!, false);
});

test('a shared (non-cyclic) object appears each time it is referenced', () => {
  const { logger, records } = collectingLogger('info');
  const peer = { id: 'node-2' };
  logger.info('peers', { leader: peer, voters: [peer, peer] });
  const [record] = records();
  assert.deepEqual(record!['voters'], [{ id: 'node-2' }, { id: 'node-2' }]);
  assert.deepEqual(record!['leader'], { id: 'node-2' });
});
