import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Names of the fields selected at `path` below the resolved field, through named and inline
 * fragments and across every field node of the resolution (aliases of the same field merge).
 */
export function selectedFieldNames(info: GraphQLResolveInfo, path: readonly string[] = []): Set<string> {
  const names = new Set<string>();
  for (const node of info.fieldNodes) {
    if (node.selectionSet) collectAt(info, node.selectionSet, path, names);
  }
  return names;
}

function collectAt(info: GraphQLResolveInfo, selectionSet: SelectionSetNode, path: readonly string[], names: Set<string>): void {
  for (const field of fieldsOf(info, selectionSet)) {
    if (path.length === 0) names.add(field.name.value);
    else if (field.name.value === path[0] && field.selectionSet) collectAt(info, field.selectionSet, path.slice(1), names);
  }
}

function fieldsOf(info: GraphQLResolveInfo, selectionSet: SelectionSetNode): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields.push(...fieldsOf(info, selection.selectionSet));
    else {
      const fragment = info.fragments[selection.name.value];
      if (fragment) fields.push(...fieldsOf(info, fragment.selectionSet));
    }
  }
  return fields;
}
