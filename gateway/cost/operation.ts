import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';

import { errors } from '../../core/errors/index.js';

/**
 * Picks the operation of a document that a request runs, as graphql-js execution does: the named
 * one, or the only one when no name is given.
 *
 * @throws GraphQLError `COST_QUERY_PARSE_FAILURE` when there is no such operation or the choice is ambiguous.
 */
export function findOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) {
    const named = operations.find((operation) => operation.name?.value === operationName);
    if (!named) throw errors.COST_QUERY_PARSE_FAILURE.error(`The document has no operation named "${operationName}".`);
    return named;
  }
  if (operations.length !== 1) {
    throw errors.COST_QUERY_PARSE_FAILURE.error(
      `The document has ${operations.length} operations, so the request must give an operation name.`,
    );
  }
  return operations[0];
}
