import fs from 'node:fs';

/**
 * BENCHMARKS.md is shared by every benchmark; each owns the text between its own pair of
 * markers and leaves the rest of the file alone.
 */

export interface SectionMarkers {
  start: string;
  end: string;
}

export const cryptoMarkers: SectionMarkers = {
  start: '<!-- bench:crypto:start -->',
  end: '<!-- bench:crypto:end -->',
};

const intro = `# Benchmarks

Measured figures only: each section is written by the benchmark named in it, with the machine,
the runtime and the command that produced it. Re-run the command to refresh a section; the text
between a section's markers is replaced and everything else is left as it is.
`;

/** `document` with the text between the markers replaced by `body` (appended if absent). */
export function replaceSection(document: string, markers: SectionMarkers, body: string): string {
  const block = `${markers.start}\n${body.trimEnd()}\n${markers.end}`;
  const startAt = document.indexOf(markers.start);
  const endAt = document.indexOf(markers.end);
  if (startAt === -1 && endAt === -1) return `${document.trimEnd()}\n\n${block}\n`;
  if (startAt === -1 || endAt === -1 || endAt < startAt) {
    throw new Error(`BENCHMARKS.md has a broken ${markers.start} … ${markers.end} pair; fix the markers by hand`);
  }
  return document.slice(0, startAt) + block + document.slice(endAt + markers.end.length);
}

export function writeSection(file: string, markers: SectionMarkers, body: string): void {
  const document = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : intro;
  fs.writeFileSync(file, replaceSection(document, markers, body));
}
