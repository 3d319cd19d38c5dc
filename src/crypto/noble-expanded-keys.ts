/**
 * noble signs and decapsulates with expanded secret keys, which are costly to derive from the
 * seed we keep; each private key's expansion is therefore computed once and held beside it.
 */
export interface ExpandedKey {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

export function expandedKeyCache<PrivateKey extends object>(
  expandFromSeed: (privateKey: PrivateKey) => ExpandedKey,
): (privateKey: PrivateKey) => ExpandedKey {
  const expandedKeys = new WeakMap<PrivateKey, ExpandedKey>();
  return (privateKey) => {
    let expanded = expandedKeys.get(privateKey);
    if (expanded === undefined) {
      expanded = expandFromSeed(privateKey);
      expandedKeys.set(privateKey, expanded);
    }
    return expanded;
  };
}
