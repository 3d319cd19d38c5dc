import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { open, type Database, type RootDatabase } from 'lmdb';
import {
  AurigraphError,
  alreadyExists,
  assert,
  failedPrecondition,
  invalidArgument,
  notFound,
} from '../../errors.js';
import {
  isMlDsaAlgorithm,
  isMlKemAlgorithm,
  mlDsaAlgorithms,
  mlDsaParameters,
  mlKemAlgorithms,
  mlKemParameters,
  type MlDsaAlgorithm,
  type MlKemAlgorithm,
} from '../algorithms.js';
import { BoundedCache } from '../bounded-cache.js';
import { requireBytes } from '../byte-checks.js';
import type { KemBackend } from '../kem-backend.js';
import { MlDsaPrivateKey, MlKemPrivateKey } from '../private-keys.js';
import type { SignatureBackend, SignOptions, VerifyOptions } from '../signature-backend.js';
import {
  checkScryptParameters,
  configScryptFields,
  deriveKeyEncryptionKey,
  keyCheckPasses,
  makeKeyCheck,
  saltBytes,
  seal,
  seedAssociatedData,
  unseal,
  type ScryptParameters,
} from './key-encryption.js';
import { encodeHeader, headerFileName, parseHeader, readHeaderText, writeHeaderFile } from './keystore-header.js';

/**
 * The node's keystore: named keys with numbered versions, one active at a time, kept in LMDB in
 * `<dataDir>/keystore/` with every private-key seed sealed by AES-256-GCM under a key derived
 * from the operator secret (see key-encryption.ts). It owns that folder and nothing else; it
 * reads no clock (callers pass `timestampMs`) and logs nothing.
 *
 * Lifecycle of a key id: createKey → version 1 active; rotate → version n+1 active, earlier
 * versions stay usable for verification (or decapsulation) until retired; retire(version) makes
 * one non-active version unusable for good. Every create, rotate and retire is appended to an
 * audit trail with a sequence number, in the same LMDB transaction as the change itself.
 *
 * Private key material never leaves this object: no method returns a seed, and neither
 * util.inspect nor JSON.stringify of the keystore or of anything it returns shows one.
 */

export type KeystoreAlgorithm = MlDsaAlgorithm | MlKemAlgorithm;
export type KeyVersionStatus = 'active' | 'superseded' | 'retired';
export type AuditOperation = 'create' | 'rotate' | 'retire';

export interface KeyVersionInfo {
  keyId: string;
  algorithm: KeystoreAlgorithm;
  version: number;
  /** Raw FIPS 204 public key (ML-DSA) or FIPS 203 encapsulation key (ML-KEM). */
  publicKey: Uint8Array;
  status: KeyVersionStatus;
  createdAtMs: number;
  retiredAtMs: number | null;
}

export interface KeyDescription {
  keyId: string;
  algorithm: KeystoreAlgorithm;
  activeVersion: number;
  versions: KeyVersionInfo[];
}

export interface AuditRecord {
  /** 1, 2, 3, … across the whole keystore, in the order the changes were committed. */
  sequence: number;
  keyId: string;
  operation: AuditOperation;
  version: number;
  algorithm: KeystoreAlgorithm;
  timestampMs: number;
}

export interface OpenKeystoreOptions {
  /** The keystore folder, normally keystorePath(config.node.dataDir); created when absent. */
  path: string;
  /** The operator secret (see readOperatorSecret). */
  secret: Uint8Array | string;
  /** scrypt cost for a new keystore (config crypto.keystore); an existing one keeps its own. */
  scrypt: ScryptParameters;
  signatureBackend: SignatureBackend;
  kemBackend: KemBackend;
  /** Named in the wrong-secret error; default AURIGRAPH_KEYSTORE_SECRET. */
  secretEnvName?: string;
}

interface VersionRecord {
  version: number;
  publicKey: Uint8Array;
  sealedSeed: Uint8Array;
  createdAtMs: number;
  retiredAtMs: number | null;
}

interface KeyRecord {
  keyId: string;
  algorithm: KeystoreAlgorithm;
  activeVersion: number;
  versions: VersionRecord[];
}

export const keyIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
const headerRecordKey = 'header';
const auditSequenceRecordKey = 'auditSequence';
const privateKeyCacheEntriesMax = 1024;
/** Keeps `Keystore` construction inside this module, behind the secret check in openKeystore. */
const attachKeystore = Symbol('attachKeystore');

export function keystorePath(dataDir: string): string {
  return path.join(dataDir, 'keystore');
}

export async function openKeystore(options: OpenKeystoreOptions): Promise<Keystore> {
  const folder = path.resolve(options.path);
  const secret = typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : requireBytes('secret', options.secret);
  if (secret.length === 0) throw invalidArgument('secret', 'the operator secret is empty');
  const secretEnvName = options.secretEnvName ?? 'AURIGRAPH_KEYSTORE_SECRET';

  const headerText = readHeaderText(folder);
  if (headerText !== undefined) {
    // Everything up to the key check only reads, so a wrong secret changes nothing on disk.
    const header = parseHeader(folder, headerText);
    const keyEncryptionKey = await deriveKeyEncryptionKey(secret, header.salt, header.scrypt);
    if (!keyCheckPasses(keyEncryptionKey, header.keyCheck)) {
      throw new AurigraphError(
        'permission_denied',
        `keystore at ${folder}: the operator secret does not decrypt it (wrong ${secretEnvName}?)`,
        secretEnvName,
      );
    }
    return Keystore[attachKeystore](folder, headerText, keyEncryptionKey, options);
  }

  if (fs.existsSync(path.join(folder, 'data.mdb'))) {
    throw failedPrecondition(
      `keystore at ${folder}: has a database but no ${headerFileName}, so its keys cannot be decrypted; ` +
        `restore ${headerFileName} from a backup rather than creating a new keystore over it`,
    );
  }
  const scrypt = checkScryptParameters(options.scrypt, configScryptFields);
  const salt = crypto.randomBytes(saltBytes);
  const keyEncryptionKey = await deriveKeyEncryptionKey(secret, salt, scrypt);
  const newHeaderText = encodeHeader({ scrypt, salt, keyCheck: makeKeyCheck(keyEncryptionKey) });
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  writeHeaderFile(folder, newHeaderText);
  return Keystore[attachKeystore](folder, newHeaderText, keyEncryptionKey, options);
}

export class Keystore {
  readonly path: string;
  readonly #root: RootDatabase;
  readonly #meta: Database<string | number, string>;
  readonly #keys: Database<KeyRecord, string>;
  readonly #audit: Database<AuditRecord, number>;
  readonly #keyEncryptionKey: crypto.KeyObject;
  readonly #signatureBackend: SignatureBackend;
  readonly #kemBackend: KemBackend;
  readonly #privateKeys = new BoundedCache<string, MlDsaPrivateKey | MlKemPrivateKey>(privateKeyCacheEntriesMax);
  #closed = false;

  private constructor(folder: string, root: RootDatabase, keyEncryptionKey: crypto.KeyObject, options: OpenKeystoreOptions) {
    this.path = folder;
    this.#root = root;
    this.#meta = root.openDB<string | number, string>({ name: 'meta' });
    this.#keys = root.openDB<KeyRecord, string>({ name: 'keys' });
    this.#audit = root.openDB<AuditRecord, number>({ name: 'audit' });
    this.#keyEncryptionKey = keyEncryptionKey;
    this.#signatureBackend = options.signatureBackend;
    this.#kemBackend = options.kemBackend;
  }

  /** Opens the database after the secret has been checked against `headerText`. */
  static async [attachKeystore](
    folder: string,
    headerText: string,
    keyEncryptionKey: crypto.KeyObject,
    options: OpenKeystoreOptions,
  ): Promise<Keystore> {
    const root = open({ path: folder, noSubdir: false, maxDbs: 8 });
    const keystore = new Keystore(folder, root, keyEncryptionKey, options);
    try {
      keystore.#checkOrRecordHeader(headerText);
    } catch (error) {
      await keystore.close();
      throw error;
    }
    return keystore;
  }

  #checkOrRecordHeader(headerText: string): void {
    const recorded = this.#meta.get(headerRecordKey);
    if (recorded === headerText) return;
    if (recorded === undefined && this.#keys.getCount() === 0) {
      // A new keystore, or one whose creation stopped between the header file and this record.
      this.#meta.putSync(headerRecordKey, headerText);
      return;
    }
    throw failedPrecondition(
      `keystore at ${this.path}: ${headerFileName} does not match the header recorded in its database; ` +
        `restore the ${headerFileName} that belongs to this keystore`,
    );
  }

  createKey(keyId: string, algorithm: KeystoreAlgorithm, timestampMs: number): KeyVersionInfo {
    this.#checkOpen();
    checkKeyId(keyId);
    if (!isMlDsaAlgorithm(algorithm) && !isMlKemAlgorithm(algorithm)) {
      throw invalidArgument(
        'algorithm',
        `expected one of ${[...mlDsaAlgorithms, ...mlKemAlgorithms].join(', ')}, got ${JSON.stringify(algorithm)}`,
      );
    }
    checkTimestamp(timestampMs);
    return this.#root.transactionSync(() => {
      if (this.#keys.get(keyId) !== undefined) throw alreadyExists('keyId', `key "${keyId}" already exists; rotate it instead`);
      const record: KeyRecord = { keyId, algorithm, activeVersion: 1, versions: [this.#newVersion(keyId, algorithm, 1, timestampMs)] };
      this.#keys.putSync(keyId, record);
      this.#appendAudit(keyId, 'create', 1, algorithm, timestampMs);
      return versionInfo(record, 1);
    });
  }

  rotate(keyId: string, timestampMs: number): KeyVersionInfo {
    this.#checkOpen();
    checkTimestamp(timestampMs);
    return this.#root.transactionSync(() => {
      const record = this.#record(keyId);
      const version = record.versions.length + 1;
      const updated: KeyRecord = {
        ...record,
        activeVersion: version,
        versions: [...record.versions, this.#newVersion(keyId, record.algorithm, version, timestampMs)],
      };
      this.#keys.putSync(keyId, updated);
      this.#appendAudit(keyId, 'rotate', version, record.algorithm, timestampMs);
      return versionInfo(updated, version);
    });
  }

  retire(keyId: string, version: number, timestampMs: number): KeyVersionInfo {
    this.#checkOpen();
    checkTimestamp(timestampMs);
    return this.#root.transactionSync(() => {
      const record = this.#record(keyId);
      const existing = this.#versionRecord(record, version);
      if (version === record.activeVersion) {
        throw failedPrecondition(
          `version ${version} of key "${keyId}" is the active version; rotate the key before retiring it`,
          'version',
        );
      }
      if (existing.retiredAtMs !== null) {
        throw failedPrecondition(`version ${version} of key "${keyId}" is already retired`, 'version');
      }
      const updated: KeyRecord = {
        ...record,
        versions: record.versions.map((entry) => (entry.version === version ? { ...entry, retiredAtMs: timestampMs } : entry)),
      };
      this.#keys.putSync(keyId, updated);
      this.#appendAudit(keyId, 'retire', version, record.algorithm, timestampMs);
      this.#privateKeys.delete(privateKeyCacheKey(keyId, version));
      return versionInfo(updated, version);
    });
  }

  /** Signs with the active version (hedged unless options say otherwise). */
  sign(keyId: string, message: Uint8Array, options?: SignOptions): { signature: Uint8Array; version: number } {
    this.#checkOpen();
    const record = this.#record(keyId);
    if (!isMlDsaAlgorithm(record.algorithm)) {
      throw failedPrecondition(`key "${keyId}" is an ${record.algorithm} key; only ML-DSA keys sign`, 'keyId');
    }
    const version = record.activeVersion;
    const privateKey = this.#privateKey(record, version);
    assert(privateKey instanceof MlDsaPrivateKey, 'an ML-DSA record unseals to an ML-DSA private key');
    return { signature: this.#signatureBackend.sign(privateKey, message, options), version };
  }

  verify(keyId: string, version: number, message: Uint8Array, signature: Uint8Array, options?: VerifyOptions): boolean {
    this.#checkOpen();
    const record = this.#record(keyId);
    if (!isMlDsaAlgorithm(record.algorithm)) {
      throw failedPrecondition(`key "${keyId}" is an ${record.algorithm} key; only ML-DSA keys verify`, 'keyId');
    }
    const entry = this.#usableVersion(record, version);
    return this.#signatureBackend.verify(record.algorithm, entry.publicKey, message, signature, options);
  }

  /** ML-KEM keys: the shared secret for a ciphertext made to this key's version `version`. */
  decapsulate(keyId: string, version: number, ciphertext: Uint8Array): Uint8Array {
    this.#checkOpen();
    const record = this.#record(keyId);
    if (!isMlKemAlgorithm(record.algorithm)) {
      throw failedPrecondition(`key "${keyId}" is an ${record.algorithm} key; only ML-KEM keys decapsulate`, 'keyId');
    }
    this.#usableVersion(record, version);
    const privateKey = this.#privateKey(record, version);
    assert(privateKey instanceof MlKemPrivateKey, 'an ML-KEM record unseals to an ML-KEM private key');
    return this.#kemBackend.decapsulate(privateKey, ciphertext);
  }

  /** The public key of `version`, or of the active version when it is absent. */
  getPublicKey(keyId: string, version?: number): KeyVersionInfo {
    this.#checkOpen();
    const record = this.#record(keyId);
    const wanted = version ?? record.activeVersion;
    this.#versionRecord(record, wanted);
    return versionInfo(record, wanted);
  }

  describeKey(keyId: string): KeyDescription {
    this.#checkOpen();
    const record = this.#record(keyId);
    return {
      keyId,
      algorithm: record.algorithm,
      activeVersion: record.activeVersion,
      versions: record.versions.map((entry) => versionInfo(record, entry.version)),
    };
  }

  listKeyIds(): string[] {
    this.#checkOpen();
    return [...this.#keys.getKeys({})].map(String);
  }

  /** Every create, rotate and retire, in sequence order; only `keyId`'s when given. */
  auditTrail(keyId?: string): AuditRecord[] {
    this.#checkOpen();
    if (keyId !== undefined) checkKeyId(keyId);
    const records: AuditRecord[] = [];
    for (const { value } of this.#audit.getRange({})) {
      if (keyId === undefined || value.keyId === keyId) records.push({ ...value });
    }
    return records;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#privateKeys.clear();
    await this.#root.close();
  }

  toJSON(): { path: string } {
    return { path: this.path };
  }

  [inspect.custom](): string {
    return `Keystore { path: '${this.path}', ${this.#closed ? 'closed' : 'open'} }`;
  }

  #checkOpen(): void {
    if (this.#closed) throw failedPrecondition(`keystore at ${this.path} is closed`);
  }

  #record(keyId: string): KeyRecord {
    checkKeyId(keyId);
    const record = this.#keys.get(keyId);
    if (record === undefined) throw notFound('keyId', `no key "${keyId}" in the keystore`);
    return record;
  }

  #versionRecord(record: KeyRecord, version: number): VersionRecord {
    if (!Number.isSafeInteger(version) || version < 1) {
      throw invalidArgument('version', `key versions are integers from 1, got ${version}`);
    }
    const entry = record.versions[version - 1];
    if (entry === undefined) {
      throw notFound('version', `key "${record.keyId}" has versions 1 to ${record.versions.length}, not ${version}`);
    }
    assert(entry.version === version, 'versions are stored in order from 1');
    return entry;
  }

  #usableVersion(record: KeyRecord, version: number): VersionRecord {
    const entry = this.#versionRecord(record, version);
    if (entry.retiredAtMs !== null) {
      throw failedPrecondition(`version ${version} of key "${record.keyId}" is retired and can no longer be used`, 'version');
    }
    return entry;
  }

  #newVersion(keyId: string, algorithm: KeystoreAlgorithm, version: number, timestampMs: number): VersionRecord {
    const seed = crypto.randomBytes(isMlDsaAlgorithm(algorithm) ? mlDsaParameters[algorithm].seedBytes : mlKemParameters[algorithm].seedBytes);
    try {
      const publicKey = isMlDsaAlgorithm(algorithm)
        ? this.#signatureBackend.keygen(algorithm, seed).publicKey
        : this.#kemBackend.keygen(algorithm, seed).publicKey;
      const sealedSeed = seal(this.#keyEncryptionKey, seed, seedAssociatedData(keyId, version, algorithm));
      return { version, publicKey, sealedSeed, createdAtMs: timestampMs, retiredAtMs: null };
    } finally {
      seed.fill(0);
    }
  }

  #privateKey(record: KeyRecord, version: number): MlDsaPrivateKey | MlKemPrivateKey {
    const cacheKey = privateKeyCacheKey(record.keyId, version);
    const cached = this.#privateKeys.get(cacheKey);
    if (cached !== undefined) return cached;
    const entry = this.#versionRecord(record, version);
    const seed = unseal(this.#keyEncryptionKey, entry.sealedSeed, seedAssociatedData(record.keyId, version, record.algorithm));
    if (seed === undefined) {
      throw failedPrecondition(
        `keystore at ${this.path}: the sealed seed of version ${version} of key "${record.keyId}" does not decrypt; ` +
          `the database is damaged or was moved under another ${headerFileName}`,
      );
    }
    try {
      const privateKey = isMlDsaAlgorithm(record.algorithm)
        ? new MlDsaPrivateKey(record.algorithm, seed)
        : new MlKemPrivateKey(record.algorithm, seed);
      this.#privateKeys.set(cacheKey, privateKey);
      return privateKey;
    } finally {
      seed.fill(0);
    }
  }

  #appendAudit(keyId: string, operation: AuditOperation, version: number, algorithm: KeystoreAlgorithm, timestampMs: number): void {
    const previous = this.#meta.get(auditSequenceRecordKey);
    const sequence = (typeof previous === 'number' ? previous : 0) + 1;
    this.#audit.putSync(sequence, { sequence, keyId, operation, version, algorithm, timestampMs });
    this.#meta.putSync(auditSequenceRecordKey, sequence);
  }
}

function versionInfo(record: KeyRecord, version: number): KeyVersionInfo {
  const entry = record.versions[version - 1];
  assert(entry !== undefined && entry.version === version, 'versionInfo of an existing version');
  const status: KeyVersionStatus =
    entry.retiredAtMs !== null ? 'retired' : version === record.activeVersion ? 'active' : 'superseded';
  return {
    keyId: record.keyId,
    algorithm: record.algorithm,
    version,
    publicKey: Uint8Array.from(entry.publicKey),
    status,
    createdAtMs: entry.createdAtMs,
    retiredAtMs: entry.retiredAtMs,
  };
}

function privateKeyCacheKey(keyId: string, version: number): string {
  return `${keyId}\u0000${version}`;
}

function checkKeyId(keyId: unknown): void {
  if (typeof keyId !== 'string' || !keyIdPattern.test(keyId)) {
    throw invalidArgument(
      'keyId',
      `key ids are 1 to 128 characters of letters, digits and . _ : / -, starting with a letter or digit; got ${JSON.stringify(keyId)}`,
    );
  }
}

function checkTimestamp(timestampMs: unknown): void {
  if (typeof timestampMs !== 'number' || !Number.isSafeInteger(timestampMs) || timestampMs < 0) {
    throw invalidArgument('timestampMs', `must be a non-negative integer of milliseconds since the Unix epoch, got ${String(timestampMs)}`);
  }
}
