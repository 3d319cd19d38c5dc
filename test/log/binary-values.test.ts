import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectingLogger } from './log-collector.js';

const secret = Buffer.from('5ec7e75ec7e75ec7e75ec7e75ec7e7ff', 'hex');

function forbiddenRenderings(bytes: Uint8Array): string[] {
  const buffer = Buffer.from(bytes);
  return [buffer.toString('hex'), buffer.toString('base64'), [...bytes].join(','), '"type":"Buffer"', '"0":'];
}

test('binary values are written as their length only, wherever they sit', () => {
  const { logger, lines, records } = collectingLogger('debug');
  const typed = new Uint8Array(secret);
  logger.info('key loaded', {
    buffer: secret,
    typed,
    nested: { deeper: [secret, { key: typed }] },
    arrayBuffer: typed.buffer,
    shared: new SharedArrayBuffer(24),
    view: new DataView(typed.buffer, 4, 8),
    words: new Uint32Array(3),
    map: new Map([['k', secret]]),
  });
  for (const forbidden of forbiddenRenderings(secret)) {
    assert.ok(!lines[0]!.includes(forbidden), `the line must not contain ${forbidden}`);
  }
  const [record] = records();
  assert.deepEqual(record!['buffer'], { bytes: 16 });
  assert.deepEqual(record!['typed'], { bytes: 16 });
  assert.deepEqual(record!['nested'], { deeper: [{ bytes: 16 }, { key: { bytes: 16 } }] });
  assert.deepEqual(record!['arrayBuffer'], { bytes: 16 });
  assert.deepEqual(record!['shared'], { bytes: 24 });
  assert.deepEqual(record!['view'], { bytes: 8 });
  assert.deepEqual(record!['words'], { bytes: 12 });
  assert.deepEqual(record!['map'], { k: { bytes: 16 } });
});

test('binary data held by an error or a bound field is not dumped either', () => {
  const { logger, lines } = collectingLogger('debug');
  const error = Object.assign(new Error('decrypt failed'), { key: secret });
  logger.child({ component: 'keystore', seed: secret }).error('unlock failed', { error });
  for (const forbidden of forbiddenRenderings(secret)) assert.ok(!lines[0]!.includes(forbidden), forbidden);
  const record = JSON.parse(lines[0]!) as { seed: unknown; error: { key: unknown } };
  assert.deepEqual(record.seed, { bytes: 16 });
  assert.deepEqual(record.error.key, { bytes: 16 });
});
