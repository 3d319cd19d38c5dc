/**
 * Small non-cryptographic hashes for the simulator: a 32-bit mixer for state-machine chain
 * hashes and payload identity, and a running trace hash that two runs of one seed must agree on.
 */

export function mix32(hash: number, value: number): number {
  // Split values above 32 bits so indexes and terms of any size contribute fully.
  let h = hash ^ (value >>> 0);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= Math.floor(value / 0x1_0000_0000);
  h = Math.imul(h ^ (h >>> 16), 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}

export function hashBytes(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193) >>> 0;
  return mix32(hash, bytes.length);
}

/** Accumulates every event of a run; optionally prints each one (for replaying a seed). */
export class TraceHasher {
  private hashHigh = 0x6a09e667;
  private hashLow = 0xbb67ae85;
  events = 0;
  private readonly printer: ((line: string) => void) | undefined;

  constructor(printer?: (line: string) => void) {
    this.printer = printer;
  }

  get printing(): boolean {
    return this.printer !== undefined;
  }

  record(values: readonly number[], describe?: () => string): void {
    for (const value of values) {
      this.hashHigh = mix32(this.hashHigh, value);
      this.hashLow = mix32(this.hashLow ^ this.hashHigh, value + 0x5bd1e995);
    }
    this.events += 1;
    if (this.printer !== undefined && describe !== undefined) this.printer(describe());
  }

  digest(): string {
    return this.hashHigh.toString(16).padStart(8, '0') + this.hashLow.toString(16).padStart(8, '0');
  }
}
