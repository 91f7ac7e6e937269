import { Kind, type ConstDirectiveNode, type DocumentNode } from 'graphql';

/**
 * Maps each field of a supergraph to the one subgraph that resolves it, from `@join__field(graph:)`
 * or, for a field without it, the single `@join__type(graph:)` of its type. A field that several
 * subgraphs resolve is left out, because no single subgraph's list size applies to it.
 */
export function readFieldSubgraphs(document: DocumentNode): Map<string, string> {
  const graphNames = readGraphNames(document);
  const fieldSubgraphs = new Map<string, string>();

  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    const typeGraphs = graphsOf(definition.directives, 'join__type');
    for (const field of definition.fields ?? []) {
      const fieldGraphs = graphsOf(field.directives, 'join__field');
      const graphs = fieldGraphs.length > 0 ? fieldGraphs : typeGraphs;
      const name = graphs.length === 1 ? graphNames.get(graphs[0]) : undefined;
      if (name !== undefined) fieldSubgraphs.set(`${definition.name.value}.${field.name.value}`, name);
    }
  }
  return fieldSubgraphs;
}

/** Reads `enum join__Graph { A @join__graph(name: "a", …) }` into enum value → subgraph name. */
function readGraphNames(document: DocumentNode): Map<string, string> {
  const names = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((directive) => directive.name.value === 'join__graph');
      const name = graph?.arguments?.find((argument) => argument.name.value === 'name')?.value;
      names.set(value.name.value, name?.kind === Kind.STRING ? name.value : value.name.value.toLowerCase());
    }
  }
  return names;
}

function graphsOf(directives: readonly ConstDirectiveNode[] | undefined, name: string): string[] {
  const graphs = new Set<string>();
  for (const directive of directives ?? []) {
    if (directive.name.value !== name) continue;
    const graph = directive.arguments?.find((argument) => argument.name.value === 'graph')?.value;
    if (graph?.kind === Kind.ENUM) graphs.add(graph.value);
  }
  return [...graphs];
}
