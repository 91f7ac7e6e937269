import { Kind, type ConstDirectiveNode, type ConstValueNode, type DocumentNode } from 'graphql';

/** The names under which a schema applies the cost spec's two directives. */
export interface CostDirectiveNames {
  readonly cost: ReadonlySet<string>;
  readonly listSize: ReadonlySet<string>;
}

const COST_SPEC = 'https://specs.apollo.dev/cost/';
const FEDERATION_SPEC = 'https://specs.apollo.dev/federation/';

interface LinkApplication {
  readonly url: string;
  readonly as?: string;
  /** Imported directive names, `@` included, mapped to their local names. */
  readonly imports: ReadonlyMap<string, string>;
}

/**
 * Finds the local names of `@cost` and `@listSize` following the core-schema rules of `@link`.
 * An imported directive takes its import name (or its `as` rename), and any other is namespaced
 * as `spec__directive`. A spec's eponymous directive (`@cost` of the cost spec) takes the spec's
 * name. The plain names `@cost` and `@listSize` and the federation names `@federation__cost` and
 * `@federation__listSize` always apply, as subgraph SDL printed without its `@link` uses them.
 */
export function resolveCostDirectiveNames(document: DocumentNode): CostDirectiveNames {
  const cost = new Set<string>(['cost', 'federation__cost']);
  const listSize = new Set<string>(['listSize', 'federation__listSize']);

  for (const link of readLinks(document)) {
    if (link.url.startsWith(COST_SPEC)) {
      const prefix = link.as ?? 'cost';
      cost.add(link.imports.get('@cost') ?? prefix);
      listSize.add(link.imports.get('@listSize') ?? `${prefix}__listSize`);
    } else if (link.url.startsWith(FEDERATION_SPEC)) {
      const prefix = link.as ?? 'federation';
      cost.add(link.imports.get('@cost') ?? `${prefix}__cost`);
      listSize.add(link.imports.get('@listSize') ?? `${prefix}__listSize`);
    }
  }
  return { cost, listSize };
}

function readLinks(document: DocumentNode): LinkApplication[] {
  const links: LinkApplication[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      const link = readLink(directive);
      if (link) links.push(link);
    }
  }
  return links;
}

function readLink(directive: ConstDirectiveNode): LinkApplication | undefined {
  if (directive.name.value !== 'link') return undefined;
  const url = stringArgument(directive, 'url');
  if (url === undefined) return undefined;

  const imports = new Map<string, string>();
  const importList = directive.arguments?.find((argument) => argument.name.value === 'import')?.value;
  if (importList?.kind === Kind.LIST) {
    for (const item of importList.values) addImport(imports, item);
  }
  return { url, as: stringArgument(directive, 'as'), imports };
}

/** Reads one `import:` entry, either `"@name"` or `{ name: "@name", as: "@local" }`. */
function addImport(imports: Map<string, string>, item: ConstValueNode): void {
  if (item.kind === Kind.STRING) {
    imports.set(item.value, item.value.replace(/^@/, ''));
    return;
  }
  if (item.kind !== Kind.OBJECT) return;
  const field = (name: string) => {
    const value = item.fields.find((entry) => entry.name.value === name)?.value;
    return value?.kind === Kind.STRING ? value.value : undefined;
  };
  const name = field('name');
  if (name !== undefined) imports.set(name, (field('as') ?? name).replace(/^@/, ''));
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}
