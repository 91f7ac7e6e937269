import { isCompositeType, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLSchema } from 'graphql';

import { errors } from '../../core/errors/index.js';

/** Indexes the fragment definitions of a document by name. */
export function collectFragments(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/**
 * Returns a named fragment.
 *
 * @throws GraphQLError `COST_QUERY_PARSE_FAILURE` when the document does not define it.
 */
export function requireFragment(fragments: ReadonlyMap<string, FragmentDefinitionNode>, name: string): FragmentDefinitionNode {
  const fragment = fragments.get(name);
  if (!fragment) throw errors.COST_QUERY_PARSE_FAILURE.error(`The fragment ${name} is not defined in the document.`);
  return fragment;
}

/**
 * Returns the type a type condition names, or undefined for a fragment without one.
 *
 * @throws GraphQLError `COST_QUERY_PARSE_FAILURE` when the name is not a composite type of the schema.
 */
export function conditionType(schema: GraphQLSchema, name: string | undefined): GraphQLCompositeType | undefined {
  if (name === undefined) return undefined;
  const type = schema.getType(name);
  if (!type || !isCompositeType(type)) {
    throw errors.COST_QUERY_PARSE_FAILURE.error(`The type condition ${name} is not a composite type of the schema.`);
  }
  return type;
}
