import {
  isAbstractType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/**
 * The response key under which the gateway selects `__typename` on abstract types, so that the
 * result walk reads each object's runtime type. The operation itself may not use it.
 */
export const TYPENAME_ALIAS = '__meshgateTypename';

const TYPENAME_FIELD: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: TYPENAME_ALIAS },
  name: { kind: Kind.NAME, value: '__typename' },
};

/** Returns a copy of the document that selects `__typename` as `TYPENAME_ALIAS` on every interface and union. */
export function addTypenameToAbstractSelections(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet: {
        leave(node): SelectionSetNode | undefined {
          const parentType = typeInfo.getParentType();
          if (!isAbstractType(parentType)) {
            return undefined;
          }
          return { ...node, selections: [...node.selections, TYPENAME_FIELD] };
        },
      },
    }),
  );
}

/** Tells whether the document uses the reserved alias itself. */
export function usesTypenameAlias(document: DocumentNode): boolean {
  let used = false;
  visit(document, {
    Field(node) {
      if (node.alias?.value === TYPENAME_ALIAS) {
        used = true;
      }
    },
  });
  return used;
}
