import type { KemBackend } from '../kem-backend.js';
import type { Keystore } from '../keystore/keystore.js';
import type { SignatureBackend } from '../signature-backend.js';
import type { KeyLabels } from './key-labels.js';

/** What CryptoService's operations work with; opened once per node by openCryptoService. */
export interface CryptoServiceContext {
  keystore: Keystore;
  labels: KeyLabels;
  /** Verifies with raw public keys (the keystore signs and verifies stored keys itself). */
  signatureBackend: SignatureBackend;
  /** Encapsulates to public keys (the keystore decapsulates with stored keys itself). */
  kemBackend: KemBackend;
  /** The clock audit records are stamped with: wall-clock milliseconds since the Unix epoch. */
  nowMs(): number;
}
