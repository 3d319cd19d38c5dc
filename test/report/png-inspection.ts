/** Just enough PNG reading to tell a rendered page from a blank or broken screenshot. */
import { inflateSync } from 'node:zlib';

export interface PngFacts {
  readonly width: number;
  readonly height: number;
  /** Distinct byte values in the decompressed image data: 1-2 for a blank image. */
  readonly distinctByteValues: number;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function inspectPng(png: Buffer): PngFacts {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: bad signature');
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  for (let offset = 8; offset + 8 <= png.length; ) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
    } else if (type === 'IDAT') {
      data.push(body);
    }
    offset += 12 + length;
  }
  const pixels = inflateSync(Buffer.concat(data));
  const seen = new Set<number>();
  for (const byte of pixels) seen.add(byte);
  return { width, height, distinctByteValues: seen.size };
}
