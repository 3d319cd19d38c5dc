import fs from 'node:fs';
import path from 'node:path';
import { failedPrecondition, type AurigraphError } from '../../errors.js';
import { checkScryptParameters, saltBytes, type ScryptParameters } from './key-encryption.js';
import { writeFileDurably } from '../../fs/write-file-durably.js';

/**
 * The keystore's header: what is needed to derive the key-encryption key (scrypt parameters and
 * salt) and to check it (the sealed key-check constant). It is written once, when the keystore
 * is created, to `header.json` in the keystore folder and to the `header` record of the LMDB
 * database; `open` compares the two.
 *
 * The file exists so that `open` can check the operator secret with a plain read, before LMDB
 * is opened at all: even a read-only LMDB open writes its reader table into lock.mdb, and a wrong
 * secret must leave every byte of the folder as it was.
 */

export const headerFileName = 'header.json';
const format = 'aurigraph-keystore';
const formatVersion = 1;

export interface KeystoreHeader {
  scrypt: ScryptParameters;
  salt: Uint8Array;
  keyCheck: Uint8Array;
}

export function headerPath(folder: string): string {
  return path.join(folder, headerFileName);
}

export function encodeHeader(header: KeystoreHeader): string {
  return (
    JSON.stringify(
      {
        format,
        formatVersion,
        kdf: { name: 'scrypt', N: header.scrypt.N, r: header.scrypt.r, p: header.scrypt.p, saltHex: Buffer.from(header.salt).toString('hex') },
        keyCheck: { cipher: 'aes-256-gcm', sealedHex: Buffer.from(header.keyCheck).toString('hex') },
      },
      null,
      2,
    ) + '\n'
  );
}

/** The header text, or undefined when the folder has no header file. */
export function readHeaderText(folder: string): string | undefined {
  try {
    return fs.readFileSync(headerPath(folder), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function parseHeader(folder: string, text: string): KeystoreHeader {
  const file = headerPath(folder);
  const fail = (field: string, problem: string): Error =>
    failedPrecondition(`keystore header ${file}: ${field}: ${problem}; restore the header that belongs to this keystore`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw fail('the file', 'not valid JSON');
  }
  const record = asRecord(value);
  if (record?.format !== format) throw fail('format', `must be "${format}"`);
  if (record.formatVersion !== formatVersion) throw fail('formatVersion', `must be ${formatVersion}, got ${JSON.stringify(record.formatVersion)}`);
  const kdf = asRecord(record.kdf);
  if (kdf?.name !== 'scrypt') throw fail('kdf.name', 'must be "scrypt"');
  const keyCheck = asRecord(record.keyCheck);
  if (keyCheck?.cipher !== 'aes-256-gcm') throw fail('keyCheck.cipher', 'must be "aes-256-gcm"');
  const salt = hexField(kdf.saltHex);
  if (salt?.length !== saltBytes) throw fail('kdf.saltHex', `must be ${saltBytes} bytes of hex`);
  const sealed = hexField(keyCheck.sealedHex);
  if (sealed === undefined || sealed.length === 0) throw fail('keyCheck.sealedHex', 'must be non-empty hex');
  let scrypt: ScryptParameters;
  try {
    scrypt = checkScryptParameters({ N: Number(kdf.N), r: Number(kdf.r), p: Number(kdf.p) }, { N: 'kdf.N', r: 'kdf.r', p: 'kdf.p' });
  } catch (error) {
    const { field, message } = error as AurigraphError;
    // checkScryptParameters reports "kdf.N: must be …"; keep the field, drop its prefix.
    throw field === undefined ? fail('kdf', message) : fail(field, message.slice(field.length + 2));
  }
  return { scrypt, salt, keyCheck: sealed };
}

/** Writes the header file so that a crash leaves either no file or the whole file. */
export function writeHeaderFile(folder: string, text: string): void {
  writeFileDurably(headerPath(folder), text);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function hexField(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'string' || !/^(?:[0-9a-f]{2})*$/.test(value)) return undefined;
  return new Uint8Array(Buffer.from(value, 'hex'));
}
