import { assert } from '../errors.js';
import { describeType, isPlainMapping, renderValue } from './render-value.js';
import { configFields } from './schema.js';
import { closestMatch } from './suggest.js';
import type { ConfigValues } from './config-values.js';
import type { ConfigSource } from './errors.js';
import type { ConfigField } from './schema.js';

/**
 * Applies one YAML mapping (defaults.yaml or a profile) over the values gathered so far, walking
 * it against the tree of sections the schema implies, so an unknown or misspelt key is caught
 * where it is written.
 */

interface SectionNode {
  kind: 'section';
  path: string;
  children: Map<string, SectionNode | LeafNode>;
}

interface LeafNode {
  kind: 'leaf';
  field: ConfigField;
}

function buildSchemaTree(): SectionNode {
  const root: SectionNode = { kind: 'section', path: '', children: new Map() };
  for (const field of configFields) {
    const segments = field.path.split('.');
    let section = root;
    segments.slice(0, -1).forEach((segment, index) => {
      let child = section.children.get(segment);
      if (child === undefined) {
        child = { kind: 'section', path: segments.slice(0, index + 1).join('.'), children: new Map() };
        section.children.set(segment, child);
      }
      assert(child.kind === 'section', `${field.path} nests under a section, not a setting`);
      section = child;
    });
    section.children.set(segments[segments.length - 1]!, { kind: 'leaf', field });
  }
  return root;
}

const schemaTree = buildSchemaTree();
const allPaths = configFields.map((field) => field.path);
const leafNames = [...new Set(allPaths.map((path) => path.split('.').pop()!))];

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/** Suggests a sibling key first, then the same setting in another section ('grpc.count' → 'shards.count'). */
function unknownKeyMessage(section: SectionNode, key: string): string {
  const path = join(section.path, key);
  const siblings = [...section.children.keys()];
  const sibling = closestMatch(key, siblings);
  if (sibling !== undefined) return `${path} is not a known key; did you mean ${join(section.path, sibling)}?`;
  const settingName = closestMatch(key, leafNames);
  if (settingName !== undefined) {
    const elsewhere = allPaths.filter((candidate) => candidate.endsWith(`.${settingName}`));
    return `${path} is not a known key; did you mean ${elsewhere.join(' or ')}?`;
  }
  const where = section.path === '' ? 'at the top level' : `under ${section.path}`;
  return `${path} is not a known key; the keys ${where} are: ${siblings.join(', ')}`;
}

function applySection(mapping: Record<string, unknown>, section: SectionNode, source: ConfigSource, values: ConfigValues): void {
  for (const [key, value] of Object.entries(mapping)) {
    const child = section.children.get(key);
    const path = join(section.path, key);
    if (child === undefined) {
      values.report(source, path, unknownKeyMessage(section, key));
    } else if (child.kind === 'leaf') {
      values.offer(child.field, value, source);
    } else if (!isPlainMapping(value)) {
      values.report(
        source,
        path,
        `${path} = ${renderValue(value)} has the wrong type: expected a mapping of ${[...child.children.keys()].join(', ')}, ` +
          `got ${describeType(value)}`,
      );
      for (const leaf of child.children.values()) if (leaf.kind === 'leaf') values.reject(leaf.field);
    } else {
      applySection(value, child, source, values);
    }
  }
}

/** Keys only the loader interprets at the top of a file; `extends` is read by profile-chain.ts. */
const loaderKeys = new Set(['extends', 'profiles']);

export function applyYamlLayer(mapping: Record<string, unknown>, file: string, values: ConfigValues): void {
  const source = { kind: 'file', file } as const;
  if ('profiles' in mapping) {
    values.report(source, 'profiles', 'profiles is not a key a file may set: the loader records the extends chain there');
  }
  const settings = Object.fromEntries(Object.entries(mapping).filter(([key]) => !loaderKeys.has(key)));
  applySection(settings, schemaTree, source, values);
}
