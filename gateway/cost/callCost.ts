import type { FieldNode, GraphQLCompositeType, GraphQLField } from 'graphql';

import { errors } from '../../core/errors/index.js';
import { argumentCost } from './argumentCost.js';
import type { CostDirectives } from './directives.js';

/**
 * Returns the cost of resolving a field once, whatever it returns: its own `@cost` plus the cost
 * of its arguments, never below 0 (a negative `@cost` may offset arguments, not other fields).
 *
 * @throws GraphQLError `COST_QUERY_PARSE_FAILURE` for an argument the schema does not define.
 */
export function callCost(
  directives: CostDirectives,
  coordinate: string,
  definition: GraphQLField<unknown, unknown>,
  node: FieldNode,
  providedVariables: Readonly<Record<string, unknown>>,
): number {
  let cost = directives.weights.get(coordinate) ?? 0;
  for (const argument of node.arguments ?? []) {
    const argumentDefinition = definition.args.find((candidate) => candidate.name === argument.name.value);
    if (!argumentDefinition) {
      throw errors.COST_QUERY_PARSE_FAILURE.error(`The argument ${coordinate}(${argument.name.value}:) is not defined in the schema.`);
    }
    cost += argumentCost(directives, coordinate, argumentDefinition, argument.value, providedVariables);
  }
  return Math.max(0, cost);
}

/**
 * Returns the definition of a selected field.
 *
 * @throws GraphQLError `COST_QUERY_PARSE_FAILURE` when the parent type does not define it.
 */
export function fieldDefinition(parentType: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> {
  const definition = 'getFields' in parentType ? parentType.getFields()[name] : undefined;
  if (!definition) {
    throw errors.COST_QUERY_PARSE_FAILURE.error(`The field ${parentType.name}.${name} is not defined in the schema.`);
  }
  return definition;
}
