import { Kind, type ConstDirectiveNode, type DocumentNode } from 'graphql';

import { MASK_DIRECTIVE_NAMES, MASK_SPEC_URL, type MaskDirectiveName } from './directives.js';

/**
 * Resolves the names the governance directives carry in a supergraph, following the
 * `@link(url:, as:, import:)` rules of the Apollo link spec v1.0: an imported directive keeps its name
 * or takes its `as` name; any other is namespaced as `@<spec>__<directive>`, except the directive
 * named after the spec (`@mask`), which keeps the spec's name. Without a `@link` to the spec (a
 * plain schema), the directives keep their own names.
 */
export function maskDirectiveNamesIn(document: DocumentNode): Record<MaskDirectiveName, string> {
  const link = findSpecLink(document);
  const names = { mask: 'mask', classify: 'classify', restricted: 'restricted' };
  if (link === undefined) {
    return names;
  }
  const namespace = stringArgument(link, 'as') ?? 'mask';
  for (const directive of MASK_DIRECTIVE_NAMES) {
    names[directive] = directive === 'mask' ? namespace : `${namespace}__${directive}`;
  }
  for (const [original, local] of importedNames(link)) {
    if ((MASK_DIRECTIVE_NAMES as readonly string[]).includes(original)) {
      names[original as MaskDirectiveName] = local;
    }
  }
  return names;
}

/** Maps each value of the `join__Graph` enum to the subgraph name given by `@join__graph(name:)`. */
export function joinGraphNames(document: DocumentNode): Map<string, string> {
  const names = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') {
      continue;
    }
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((directive) => directive.name.value === 'join__graph');
      const name = graph === undefined ? undefined : stringArgument(graph, 'name');
      names.set(value.name.value, name ?? value.name.value);
    }
  }
  return names;
}

function findSpecLink(document: DocumentNode): ConstDirectiveNode | undefined {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) {
      continue;
    }
    const link = definition.directives?.find(
      (directive) => directive.name.value === 'link' && stringArgument(directive, 'url') === MASK_SPEC_URL,
    );
    if (link !== undefined) {
      return link;
    }
  }
  return undefined;
}

/** Lists `[original, local]` directive names (without `@`) of a `@link`'s `import:` argument. */
function importedNames(link: ConstDirectiveNode): Array<[string, string]> {
  const imports = link.arguments?.find((argument) => argument.name.value === 'import')?.value;
  if (imports?.kind !== Kind.LIST) {
    return [];
  }
  const pairs: Array<[string, string]> = [];
  for (const item of imports.values) {
    if (item.kind === Kind.STRING && item.value.startsWith('@')) {
      pairs.push([item.value.slice(1), item.value.slice(1)]);
    } else if (item.kind === Kind.OBJECT) {
      const name = item.fields.find((field) => field.name.value === 'name')?.value;
      const alias = item.fields.find((field) => field.name.value === 'as')?.value;
      if (name?.kind === Kind.STRING && name.value.startsWith('@')) {
        const local = alias?.kind === Kind.STRING ? alias.value : name.value;
        pairs.push([name.value.slice(1), local.replace(/^@/, '')]);
      }
    }
  }
  return pairs;
}

/** Returns a directive's string argument, or undefined when it is absent or not a string. */
export function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}
