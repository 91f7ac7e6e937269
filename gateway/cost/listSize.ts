import { valueFromAST, type FieldNode, type GraphQLArgument, type GraphQLField, type GraphQLInputType } from 'graphql';
import { getNamedType, getNullableType, isInputObjectType } from 'graphql';

import { errors } from '../../core/errors/index.js';
import type { ListSizeDirective } from './directives.js';

/**
 * Returns the size that a field's own `@listSize` gives: the largest slicing value the request
 * provides (an Int is a size, a list's length is a size), else `assumedSize`, else undefined.
 * Slicing arguments may be dotted paths into input objects; variables and schema defaults apply.
 *
 * @throws GraphQLError `COST_QUERY_PARSE_FAILURE` when `requireOneSlicingArgument` holds and the
 * request provides anything but exactly one slicing value.
 */
export function sizeFromListSize(
  directive: ListSizeDirective,
  coordinate: string,
  definition: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Readonly<Record<string, unknown>>,
): number | undefined {
  const sizes: number[] = [];
  for (const path of directive.slicingArguments) {
    const size = slicingSize(definition, node, path, variables);
    if (size !== undefined) sizes.push(size);
  }

  if (directive.slicingArguments.length > 0 && directive.requireOneSlicingArgument && sizes.length !== 1) {
    throw errors.COST_QUERY_PARSE_FAILURE.error(
      `The field ${coordinate} requires exactly one slicing argument of ${directive.slicingArguments.join(', ')}, but found ${sizes.length}.`,
      { coordinate, found: sizes.length },
    );
  }
  return sizes.length > 0 ? Math.max(...sizes) : directive.assumedSize;
}

function slicingSize(
  definition: GraphQLField<unknown, unknown>,
  node: FieldNode,
  path: string,
  variables: Readonly<Record<string, unknown>>,
): number | undefined {
  const [argumentName, ...fieldPath] = path.split('.');
  const argument = definition.args.find((candidate) => candidate.name === argumentName);
  if (!argument) return undefined;

  let value = argumentValue(argument, node, variables);
  let type: GraphQLInputType = argument.type;
  for (const name of fieldPath) {
    const named = getNullableType(type);
    if (!isInputObjectType(named) || value === null || typeof value !== 'object') return undefined;
    const field = named.getFields()[name];
    if (!field) return undefined;
    value = (value as Record<string, unknown>)[name] ?? field.defaultValue;
    type = field.type;
  }
  return sizeOf(value, type);
}

/** Coerces an argument with its variables and defaults, as execution would see it. */
function argumentValue(argument: GraphQLArgument, node: FieldNode, variables: Readonly<Record<string, unknown>>): unknown {
  const literal = node.arguments?.find((candidate) => candidate.name.value === argument.name);
  if (!literal) return argument.defaultValue;
  const value = valueFromAST(literal.value, argument.type, variables);
  return value === undefined ? argument.defaultValue : value;
}

function sizeOf(value: unknown, type: GraphQLInputType): number | undefined {
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'number' && getNamedType(type).name === 'Int') return Math.max(0, value);
  return undefined;
}
