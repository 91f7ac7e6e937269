import {
  isAbstractType,
  isCompositeType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

import type { CostDirectives } from './directives.js';

/**
 * Returns the cost of one returned instance of a type, before its selections: the type's `@cost`,
 * else 1 for objects, interfaces and unions and 0 for scalars and enums. An abstract type costs
 * what its most expensive possible type costs, because the estimate is an upper bound.
 */
export function typeWeight(schema: GraphQLSchema, directives: CostDirectives, type: GraphQLNamedType): number {
  const own = directives.weights.get(type.name);
  if (own !== undefined) return own;
  if (isAbstractType(type)) {
    const members = schema.getPossibleTypes(type).map((member) => typeWeight(schema, directives, member));
    return members.length > 0 ? Math.max(...members) : 1;
  }
  return isCompositeType(type) ? 1 : 0;
}
