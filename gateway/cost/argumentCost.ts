import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  Kind,
  type GraphQLArgument,
  type GraphQLInputType,
  type ValueNode,
} from 'graphql';

import type { CostDirectives } from './directives.js';

/**
 * Returns the cost of one argument value, following the cost spec's argument rules: an input
 * object costs its position's `@cost` (else its type's `@cost`, else 1) plus the cost of each field
 * it provides; a list costs the sum of its items; a scalar or enum costs its position's `@cost`
 * (else its type's, else 0); null and absent values cost 0. Defaults do not count, because only
 * what a caller provides can make a resolver work harder.
 */
export function argumentCost(
  directives: CostDirectives,
  fieldCoordinate: string,
  argument: GraphQLArgument,
  value: ValueNode,
  variables: Readonly<Record<string, unknown>>,
): number {
  const json = toProvidedValue(value, variables);
  return valueCost(directives, `${fieldCoordinate}(${argument.name}:)`, argument.type, json);
}

function valueCost(directives: CostDirectives, coordinate: string, type: GraphQLInputType, value: unknown): number {
  if (value === null || value === undefined) return 0;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const items = Array.isArray(value) ? value : [value];
    return items.reduce<number>((sum, item) => sum + valueCost(directives, coordinate, nullable.ofType, item), 0);
  }

  const named = getNamedType(type);
  const weight = directives.weights.get(coordinate) ?? directives.weights.get(named.name);
  if (!isInputObjectType(named) || typeof value !== 'object') return weight ?? 0;

  let cost = weight ?? 1;
  const fields = named.getFields();
  for (const [name, fieldValue] of Object.entries(value)) {
    const field = fields[name];
    if (field) cost += valueCost(directives, `${named.name}.${name}`, field.type, fieldValue);
  }
  return cost;
}

/** Converts a literal to plain JSON, replacing variables by their provided values. */
export function toProvidedValue(value: ValueNode, variables: Readonly<Record<string, unknown>>): unknown {
  switch (value.kind) {
    case Kind.VARIABLE:
      return variables[value.name.value];
    case Kind.NULL:
      return null;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(value.value);
    case Kind.LIST:
      return value.values.map((item) => toProvidedValue(item, variables));
    case Kind.OBJECT:
      return Object.fromEntries(value.fields.map((field) => [field.name.value, toProvidedValue(field.value, variables)]));
    default:
      return value.value;
  }
}
