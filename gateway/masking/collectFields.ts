import {
  isAbstractType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionNode,
} from 'graphql';

/**
 * Groups the fields of selections that apply to a runtime object type by response key, following
 * named and inline fragments whose type condition the runtime type satisfies, as graphql-js's
 * `collectFields` does. `@skip` and `@include` are not evaluated: a skipped field has no key in the
 * result, and fields sharing a response key are the same field once validation has passed.
 */
export function collectFields(
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  runtimeType: GraphQLObjectType,
  selections: readonly SelectionNode[],
  fields = new Map<string, FieldNode[]>(),
  visitedFragments = new Set<string>(),
): Map<string, FieldNode[]> {
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      fields.set(key, [...(fields.get(key) ?? []), selection]);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (conditionMatches(schema, selection.typeCondition?.name.value, runtimeType)) {
        collectFields(schema, fragments, runtimeType, selection.selectionSet.selections, fields, visitedFragments);
      }
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment === undefined || visitedFragments.has(fragment.name.value)) {
        continue;
      }
      visitedFragments.add(fragment.name.value);
      if (conditionMatches(schema, fragment.typeCondition.name.value, runtimeType)) {
        collectFields(schema, fragments, runtimeType, fragment.selectionSet.selections, fields, visitedFragments);
      }
    }
  }
  return fields;
}

/** Concatenates the sub-selections of the fields that share one response key. */
export function subSelections(nodes: readonly FieldNode[]): SelectionNode[] {
  return nodes.flatMap((node) => node.selectionSet?.selections ?? []);
}

function conditionMatches(schema: GraphQLSchema, typeCondition: string | undefined, runtimeType: GraphQLObjectType): boolean {
  if (typeCondition === undefined || typeCondition === runtimeType.name) {
    return true;
  }
  const conditionType = schema.getType(typeCondition);
  return isAbstractType(conditionType) && schema.isSubType(conditionType, runtimeType);
}
