import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
  type InterfaceTypeDefinitionNode,
  type InterfaceTypeExtensionNode,
} from 'graphql';

/** A field definition of the supergraph with its governance directives. */
export interface SupergraphField {
  coordinate: string;
  typeName: string;
  fieldName: string;
  /** Tags of `@classify(tags: [...])`; empty when the field carries none. */
  tags: string[];
  /** Rule of `@mask(rule: X)`, or undefined when the field is not masked. */
  maskRule?: string;
  /** Subgraph that resolves the field when exactly one does, from `@join__field`/`@join__type`. */
  subgraph?: string;
  /** 1-based line of the field definition in the SDL. */
  line: number;
}

type FieldContainer =
  | ObjectTypeDefinitionNode
  | ObjectTypeExtensionNode
  | InterfaceTypeDefinitionNode
  | InterfaceTypeExtensionNode;

const CONTAINER_KINDS: ReadonlySet<string> = new Set([
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.OBJECT_TYPE_EXTENSION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_EXTENSION,
]);

/**
 * Lists every field definition of a supergraph (or subgraph) SDL with its `@classify` tags,
 * `@mask` rule and resolving subgraph.
 *
 * @throws GraphQLError when the SDL does not parse.
 */
export function readSupergraphFields(sdl: string): SupergraphField[] {
  const document = parse(sdl);
  const graphNames = readGraphNames(document);
  const containers = document.definitions.filter((node): node is FieldContainer => CONTAINER_KINDS.has(node.kind));
  return containers.flatMap((container) => (container.fields ?? []).map((field) => describeField(container, field, graphNames)));
}

/** Keeps the fields that carry `@mask` or `@classify`: the resources whose decisions matter. */
export function governedFields(fields: SupergraphField[]): SupergraphField[] {
  return fields.filter((field) => field.maskRule !== undefined || field.tags.length > 0);
}

function describeField(container: FieldContainer, field: FieldDefinitionNode, graphNames: Map<string, string>): SupergraphField {
  const typeName = container.name.value;
  const fieldName = field.name.value;
  const described: SupergraphField = {
    coordinate: `${typeName}.${fieldName}`,
    typeName,
    fieldName,
    tags: readTags(field.directives ?? []),
    line: field.loc?.startToken.line ?? 1,
  };

  const maskRule = readArgument(field.directives ?? [], 'mask', 'rule');
  if (typeof maskRule === 'string') described.maskRule = maskRule;

  const subgraph = resolvingGraph(field.directives ?? [], '@join__field') ?? resolvingGraph(container.directives ?? [], '@join__type');
  const graphName = subgraph === undefined ? undefined : graphNames.get(subgraph);
  if (graphName !== undefined) described.subgraph = graphName;
  return described;
}

function readTags(directives: readonly ConstDirectiveNode[]): string[] {
  const tags = readArgument(directives, 'classify', 'tags');
  if (Array.isArray(tags)) return tags.filter((tag): tag is string => typeof tag === 'string');
  return typeof tags === 'string' ? [tags] : [];
}

function readArgument(directives: readonly ConstDirectiveNode[], directive: string, argument: string): unknown {
  const node = directives.find((candidate) => candidate.name.value === directive);
  const value = node?.arguments?.find((candidate) => candidate.name.value === argument)?.value;
  if (value === undefined) return undefined;
  if (value.kind === Kind.LIST) return value.values.map((item) => ('value' in item ? item.value : undefined));
  return 'value' in value ? value.value : undefined;
}

/** The enum value of `graph:` when every `@join__*` application names the same single graph. */
function resolvingGraph(directives: readonly ConstDirectiveNode[], name: string): string | undefined {
  const graphs = new Set(
    directives
      .filter((directive) => `@${directive.name.value}` === name)
      .map((directive) => directive.arguments?.find((argument) => argument.name.value === 'graph')?.value)
      .map((value) => (value?.kind === Kind.ENUM ? value.value : undefined))
      .filter((value): value is string => value !== undefined),
  );
  return graphs.size === 1 ? [...graphs][0] : undefined;
}

/** Maps each `join__Graph` enum value to the subgraph name of its `@join__graph(name:)`. */
function readGraphNames(document: DocumentNode): Map<string, string> {
  const names = new Map<string, string>();
  for (const node of document.definitions) {
    if (node.kind !== Kind.ENUM_TYPE_DEFINITION || node.name.value !== 'join__Graph') continue;
    for (const value of node.values ?? []) {
      const name = readArgument(value.directives ?? [], 'join__graph', 'name');
      if (typeof name === 'string') names.set(value.name.value, name);
    }
  }
  return names;
}
