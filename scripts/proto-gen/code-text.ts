/** Small text helpers shared by the emitters. */

/** A JSDoc block from proto comment text; `*\/` inside a comment cannot end the block early. */
export function docComment(paragraphs: ReadonlyArray<string | null>, indent: string): string[] {
  const lines = paragraphs
    .filter((paragraph): paragraph is string => paragraph !== null && paragraph.trim().length > 0)
    .flatMap((paragraph, index) => [...(index > 0 ? [''] : []), ...paragraph.trim().split('\n')])
    .map((line) => line.replaceAll('*/', '*\\/').trimEnd());
  if (lines.length === 0) return [];
  if (lines.length === 1) return [`${indent}/** ${lines[0]} */`];
  return [`${indent}/**`, ...lines.map((line) => (line.length === 0 ? `${indent} *` : `${indent} * ${line}`)), `${indent} */`];
}

export function lowerCamelCase(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** A single-quoted TypeScript string literal. */
export function quote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
