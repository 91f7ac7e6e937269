import { getVariableValues, type GraphQLSchema, type OperationDefinitionNode, valueFromASTUntyped } from 'graphql';

import { errors } from '../../core/errors/index.js';

/** The variables of one operation in the two forms the estimator needs. */
export interface OperationVariables {
  /** Values as sent, plus the defaults of variables not sent: input objects keep only provided fields. */
  readonly provided: Readonly<Record<string, unknown>>;
  /** Values coerced to their types, with every default filled in. */
  readonly coerced: Readonly<Record<string, unknown>>;
}

/**
 * Coerces the variables of an operation against its variable definitions, failing closed: a cost
 * is never computed from variables that the operation would reject.
 *
 * @throws GraphQLError `BAD_USER_INPUT` with graphql-js's message for a missing or invalid variable.
 */
export function prepareVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  inputs: Readonly<Record<string, unknown>> = {},
): OperationVariables {
  const definitions = operation.variableDefinitions ?? [];
  const result = getVariableValues(schema, definitions, inputs, { maxErrors: 1 });
  if (result.errors) {
    throw errors.BAD_USER_INPUT.error(result.errors[0].message);
  }

  const provided: Record<string, unknown> = {};
  for (const definition of definitions) {
    const name = definition.variable.name.value;
    if (Object.hasOwn(inputs, name)) provided[name] = inputs[name];
    else if (definition.defaultValue) provided[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return { provided, coerced: result.coerced };
}
