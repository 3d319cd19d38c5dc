import type { CryptoBackendChoice } from '../config/types.js';
import { invalidArgument } from '../errors.js';
import type { KemBackend } from './kem-backend.js';
import { createNativeKemBackend } from './native-kem.js';
import { createNativeSignatureBackend, type NativeSignatureBackendOptions } from './native-signatures.js';
import { detectNativeSupport, type NativeSupport } from './native-support.js';
import { createNobleKemBackend } from './noble-kem.js';
import { createNobleSignatureBackend } from './noble-signatures.js';
import type { SignatureBackend } from './signature-backend.js';

/**
 * `crypto.backend` from the node config, turned into backends:
 * - 'auto'   native when this runtime has OpenSSL ML-DSA/ML-KEM (probed once), else noble;
 * - 'native' native, or a failed_precondition error on `crypto.backend` saying what is missing;
 * - 'noble'  the portable implementation, always available.
 * Each call makes a new backend (the native one owns a public-key cache); hold on to it.
 */

export interface BackendSelectionOptions {
  /** Defaults to probing this runtime once per process. */
  support?: NativeSupport;
  native?: Omit<NativeSignatureBackendOptions, 'support'>;
}

export function selectSignatureBackend(choice: CryptoBackendChoice, options: BackendSelectionOptions = {}): SignatureBackend {
  const support = options.support ?? detectNativeSupport();
  switch (checkChoice(choice)) {
    case 'noble':
      return createNobleSignatureBackend();
    case 'native':
      return createNativeSignatureBackend({ ...options.native, support });
    case 'auto':
      return support.available
        ? createNativeSignatureBackend({ ...options.native, support })
        : createNobleSignatureBackend();
  }
}

export function selectKemBackend(choice: CryptoBackendChoice, options: Pick<BackendSelectionOptions, 'support'> = {}): KemBackend {
  const support = options.support ?? detectNativeSupport();
  switch (checkChoice(choice)) {
    case 'noble':
      return createNobleKemBackend();
    case 'native':
      return createNativeKemBackend({ support });
    case 'auto':
      return support.available ? createNativeKemBackend({ support }) : createNobleKemBackend();
  }
}

function checkChoice(choice: unknown): CryptoBackendChoice {
  if (choice === 'auto' || choice === 'native' || choice === 'noble') return choice;
  throw invalidArgument('crypto.backend', `expected 'auto', 'native' or 'noble', got ${JSON.stringify(choice)}`);
}
